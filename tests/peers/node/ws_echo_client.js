#!/usr/bin/env node
// A real WebSocket client (the ws package) against a server that echoes a
// byte stream, as rportd's WebSocket layer does under its tests:
//
//   node ws_echo_client.js <url> echo      binary messages of 1 B .. 1 MB come
//                                          back byte for byte, a burst of small
//                                          ones too, a ping gets its pong, and
//                                          a close with 1000 is answered with 1000
//   node ws_echo_client.js <url> oversize <bytes>
//                                          a message of <bytes> is refused: the
//                                          server closes with 1009
//
// Like an rport client it offers the subprotocol rport-v1 in the header
// itself, so that ws does not insist on the server choosing it (rportd, like
// the original, does not). Prints what it does; exits 0 on success, 1 on a
// mismatch or error, 2 on a timeout.
'use strict';

const crypto = require('crypto');
const WebSocket = require('ws');

const [url, scenario, arg] = process.argv.slice(2);
if (!url || !scenario) {
  console.error('usage: ws_echo_client.js <url> echo|oversize [bytes]');
  process.exit(1);
}

const overall = setTimeout(() => {
  console.error('FAIL: timed out');
  process.exit(2);
}, 30000);

function fail(message) {
  console.error('FAIL: ' + message);
  process.exit(1);
}

function connect() {
  const ws = new WebSocket(url, { headers: { 'Sec-WebSocket-Protocol': 'rport-v1' } });
  ws.binaryType = 'nodebuffer';
  ws.on('error', (err) => fail('socket error: ' + err.message));
  return new Promise((resolve) => ws.once('open', () => resolve(ws)));
}

// The server writes each piece it got as one message: collect until `size` bytes.
function receive(ws, size) {
  return new Promise((resolve) => {
    const chunks = [];
    let got = 0;
    const onMessage = (data, isBinary) => {
      if (!isBinary) fail('the server sent a text message');
      chunks.push(data);
      got += data.length;
      if (got > size) fail(`expected ${size} bytes, got ${got}`);
      if (got === size) {
        ws.off('message', onMessage);
        resolve(Buffer.concat(chunks));
      }
    };
    ws.on('message', onMessage);
  });
}

async function echo() {
  const ws = await connect();
  if (ws.protocol !== '') fail(`the server chose a subprotocol: ${ws.protocol}`);
  if (ws.extensions !== '') fail(`the server agreed to extensions: ${ws.extensions}`);
  console.log('connected');

  const sizes = [1, 2, 125, 126, 127, 1000, 16384, 65535, 65536, 65537, 300000, 1000000];
  for (const size of sizes) {
    const data = crypto.randomBytes(size);
    const back = receive(ws, size);
    ws.send(data, { binary: true });
    if (!(await back).equals(data)) fail(`the echo of ${size} bytes differs`);
    console.log(`echo ${size} bytes ok`);
  }

  // Many small messages at once: the stream keeps their order.
  const burst = [];
  for (let i = 0; i < 1000; ++i) burst.push(crypto.randomBytes(1 + (i % 200)));
  const all = Buffer.concat(burst);
  const back = receive(ws, all.length);
  for (const piece of burst) ws.send(piece, { binary: true });
  if (!(await back).equals(all)) fail('the echo of the burst differs');
  console.log(`burst of ${burst.length} messages ok`);

  const pong = new Promise((resolve) => ws.once('pong', resolve));
  ws.ping(Buffer.from('keepalive'));
  const payload = await pong;
  if (payload.toString() !== 'keepalive') fail(`pong carried "${payload}"`);
  console.log('ping answered');

  const closed = new Promise((resolve) => ws.once('close', (code, reason) => resolve([code, reason])));
  ws.close(1000, 'done');
  const [code] = await closed;
  if (code !== 1000) fail(`closed with ${code}, expected 1000`);
  console.log('closed with 1000');
}

async function oversize(size) {
  const ws = await connect();
  console.log('connected');
  const closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)));
  ws.send(crypto.randomBytes(size), { binary: true });
  const code = await closed;
  if (code !== 1009) fail(`closed with ${code}, expected 1009`);
  console.log('closed with 1009');
}

const run = scenario === 'echo' ? echo() : scenario === 'oversize' ? oversize(Number(arg)) : null;
if (!run) fail('unknown scenario ' + scenario);
run.then(() => {
  clearTimeout(overall);
  console.log('OK');
  process.exit(0);
}, (err) => fail(err.stack || String(err)));
