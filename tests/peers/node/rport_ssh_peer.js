#!/usr/bin/env node
// A second SSH implementation against rportd's client listener: Node's ssh2
// client over a ws WebSocket, speaking what an rport client speaks (password
// login, the new_connection global request, pings), plus raw sockets that
// break the rules on purpose.
//
//   node rport_ssh_peer.js <port> <scenario> [args...]
//
//   matrix <password>          every kex x cipher the server offers: each one
//                              logs in and registers as client "m-<kex>-<cipher>"
//   rekey <id> <count>         registers, then re-keys <count> times while
//                              pings keep flowing; the connection survives
//   register <id> [password] [requestFile]
//                              one client; prints what was negotiated
//   wrong-password             a wrong password is refused
//   request <id> <file>        sends the file as new_connection; prints the reply
//   bad-frame <kind>           a WebSocket frame that breaks RFC 6455
//                              (unmasked | rsv | opcode); the server closes
//   truncated                  an SSH packet cut short, then silence; prints
//                              how long the server took to hang up
//   huge-length                an SSH packet claiming 2 GiB; the server hangs up
//   hold <count> <ms>          <count> WebSockets that upgrade and never start
//                              SSH; prints how many the server closed within <ms>
//   go-silent <id> <ms>        registers, then stops reading (a client whose
//                              link died without a FIN) for <ms>
//
// Lines starting with a capital keyword are for the C++ test to check.
// Exits 0 on success, 1 on a failure, 2 on the overall timeout.
'use strict';

const fs = require('fs');
const net = require('net');
const crypto = require('crypto');
const WebSocket = require('ws');
const { Client } = require('ssh2');
const { sendPacket } = require('ssh2/lib/protocol/utils.js');

const [portText, scenario, ...args] = process.argv.slice(2);
const port = Number(portText);
const url = `ws://127.0.0.1:${port}/`;
const USER = 'clientAuth1';
const GOOD_PASSWORD = '1234';

const KEXES = ['curve25519-sha256', 'curve25519-sha256@libssh.org', 'ecdh-sha2-nistp256'];
const CIPHERS = ['aes128-gcm@openssh.com', 'aes256-gcm@openssh.com', 'chacha20-poly1305@openssh.com'];

const overall = setTimeout(() => {
  console.error('FAIL: timed out');
  process.exit(2);
}, Number(process.env.PEER_TIMEOUT_MS || 120000));

function fail(message) {
  console.error('FAIL: ' + message);
  process.exit(1);
}

function connectionRequest(id) {
  const path = `${__dirname}/../../fixtures/clients/connection-request.json`;
  const request = JSON.parse(fs.readFileSync(path, 'utf8'));
  request.ID = id;
  request.Name = id;
  request.SessionID = crypto.randomUUID();
  return Buffer.from(JSON.stringify(request));
}

// ssh2 has no public call for an arbitrary global request; this builds the
// packet exactly as its own Protocol.tcpipForward does, and queues the reply
// callback where Client keeps the ones for its own requests.
function globalRequest(client, name, payload, wantReply) {
  const proto = client._protocol;
  const nameLength = Buffer.byteLength(name);
  let p = proto._packetRW.write.allocStart;
  const packet = proto._packetRW.write.alloc(1 + 4 + nameLength + 1 + payload.length);
  packet[p] = 80; // SSH_MSG_GLOBAL_REQUEST
  packet.writeUInt32BE(nameLength, ++p);
  packet.write(name, (p += 4), nameLength, 'utf8');
  packet[(p += nameLength)] = wantReply ? 1 : 0;
  packet.set(payload, ++p);
  if (!wantReply) {
    sendPacket(proto, proto._packetRW.write.finalize(packet));
    return Promise.resolve(null);
  }
  return new Promise((resolve) => {
    client._callbacks.push((error, data) => {
      resolve({ success: !error, data: data ? data.toString() : '' });
    });
    sendPacket(proto, proto._packetRW.write.finalize(packet));
  });
}

function openWebSocket() {
  // Offered in the header by hand: the server (like the original) does not
  // echo it, and ws would refuse the upgrade if it had offered it itself.
  const ws = new WebSocket(url, { headers: { 'Sec-WebSocket-Protocol': 'rport-v1' } });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

// One SSH client over one WebSocket. Resolves when authenticated, with the
// client, what was negotiated and the server's global requests seen so far.
async function sshLogin({ password = GOOD_PASSWORD, kex, cipher } = {}) {
  const ws = await openWebSocket();
  const stream = WebSocket.createWebSocketStream(ws);
  const debugLines = [];
  const client = new Client();
  const state = { client, ws, stream, debugLines, handshakes: [], serverRequests: [], closed: false };
  const algorithms = { serverHostKey: ['ecdsa-sha2-nistp256'] };
  if (kex) algorithms.kex = [kex];
  if (cipher) algorithms.cipher = [cipher];
  client.on('handshake', (negotiated) => state.handshakes.push(negotiated));
  client.on('close', () => (state.closed = true));
  stream.on('error', () => {});
  return new Promise((resolve, reject) => {
    client.once('ready', () => {
      // Record what the server asks (put_capabilities, ping) before ssh2's
      // own handler answers or ignores it.
      const handlers = client._protocol._handlers;
      const original = handlers.GLOBAL_REQUEST;
      handlers.GLOBAL_REQUEST = (p, name, wantReply, data) => {
        state.serverRequests.push({ name, data: Buffer.isBuffer(data) ? data.toString() : '' });
        original(p, name, wantReply, data);
      };
      resolve(state);
    });
    client.once('error', (err) => {
      err.debugLines = debugLines;
      err.state = state;
      reject(err);
    });
    client.connect({
      sock: stream,
      username: USER,
      password,
      algorithms,
      readyTimeout: Number(process.env.PEER_READY_TIMEOUT_MS || 20000),
      tryKeyboard: false,
      debug: (line) => debugLines.push(line),
    });
  });
}

async function register(state, id, payload) {
  const reply = await globalRequest(state.client, 'new_connection', payload || connectionRequest(id), true);
  return reply;
}

function waitFor(predicate, ms) {
  return new Promise((resolve) => {
    const started = Date.now();
    const tick = () => {
      if (predicate()) return resolve(true);
      if (Date.now() - started > ms) return resolve(false);
      setTimeout(tick, 20);
    };
    tick();
  });
}

function describeNegotiated(state) {
  const n = state.handshakes[0] || {};
  const strict = state.debugLines.some((l) => l.includes('strict KEX mode enabled'));
  return `kex=${n.kex} cipher=${n.cs && n.cs.cipher}/${n.sc && n.sc.cipher} hostkey=${n.serverHostKey} strict=${strict}`;
}

async function registerOne(id, password, requestFile) {
  const state = await sshLogin({ password });
  console.log(`LOGGED_IN ${describeNegotiated(state)}`);
  const payload = requestFile ? fs.readFileSync(requestFile) : undefined;
  const reply = await register(state, id, payload);
  if (!reply.success) fail(`new_connection refused: ${reply.data}`);
  if (reply.data !== '[]') fail(`new_connection answered ${JSON.stringify(reply.data)}`);
  const gotCapabilities = await waitFor(() => state.serverRequests.some((r) => r.name === 'put_capabilities'), 5000);
  if (!gotCapabilities) fail('no put_capabilities after new_connection');
  const capabilities = state.serverRequests.find((r) => r.name === 'put_capabilities');
  console.log(`REGISTERED ${id} capabilities=${capabilities.data}`);
  return state;
}

async function ping(state) {
  const reply = await globalRequest(state.client, 'ping', Buffer.alloc(0), true);
  if (!reply.success) fail('ping refused');
}

async function matrix(password) {
  for (const kex of KEXES) {
    for (const cipher of CIPHERS) {
      const id = `m-${kex.replace(/[@.]/g, '_')}-${cipher.replace(/[@.]/g, '_')}`;
      const state = await sshLogin({ password, kex, cipher });
      const n = state.handshakes[0];
      if (n.kex !== kex || n.cs.cipher !== cipher || n.sc.cipher !== cipher)
        fail(`asked for ${kex} ${cipher}, got ${describeNegotiated(state)}`);
      const reply = await register(state, id);
      if (!reply.success || reply.data !== '[]') fail(`${id}: new_connection answered ${JSON.stringify(reply)}`);
      await ping(state);
      console.log(`COMBINATION ${kex} ${cipher} ${describeNegotiated(state)} id=${id}`);
      state.client.end();
      await waitFor(() => state.closed, 5000);
    }
  }
}

async function rekey(id, count) {
  const state = await registerOne(id);
  let pings = 0;
  let stop = false;
  // Pings race the key exchanges: ssh2 queues what it sends meanwhile and
  // the server must answer each one, in order, under whichever keys apply.
  const pinger = (async () => {
    while (!stop) {
      await ping(state);
      ++pings;
    }
  })();
  for (let i = 0; i < count; ++i) {
    const before = state.handshakes.length;
    state.client._protocol.rekey();
    const done = await waitFor(() => state.handshakes.length > before || state.closed, 10000);
    if (!done || state.closed) fail(`re-key ${i + 1} did not complete`);
    const n = state.handshakes[state.handshakes.length - 1];
    if (n.kex !== state.handshakes[0].kex) fail(`re-key ${i + 1} changed kex to ${n.kex}`);
  }
  stop = true;
  await pinger;
  await ping(state);
  if (state.closed) fail('connection closed after re-keying');
  console.log(`REKEYED ${state.handshakes.length - 1} times, ${pings} pings answered meanwhile`);
  state.client.end();
}

async function wrongPassword() {
  try {
    const state = await sshLogin({ password: 'not-the-password' });
    state.client.end();
    fail('a wrong password was accepted');
  } catch (err) {
    if (err.level !== 'client-authentication') fail(`unexpected error: ${err.level} ${err.message}`);
    console.log(`REFUSED ${err.level}: ${err.message}`);
  }
}

async function request(id, file) {
  const state = await sshLogin();
  const reply = await register(state, id, fs.readFileSync(file));
  console.log(`REPLY success=${reply.success} data=${JSON.stringify(reply.data)}`);
  const closed = await waitFor(() => state.closed, 5000);
  console.log(closed ? 'CLOSED by server' : 'STILL OPEN');
  state.client.end();
}

// ---- raw sockets ----

// A WebSocket upgrade by hand: resolves with the socket once the 101 is in.
function rawUpgrade() {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let head = Buffer.alloc(0);
    socket.once('error', reject);
    socket.on('connect', () => {
      socket.write(
        'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}\r\n` +
          'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: rport-v1\r\n\r\n'
      );
    });
    const onData = (data) => {
      head = Buffer.concat([head, data]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      socket.off('data', onData);
      if (!head.slice(0, 12).toString().startsWith('HTTP/1.1 101')) return reject(new Error(head.toString()));
      const rest = head.slice(end + 4);
      socket.received = [rest];
      socket.on('data', (d) => socket.received.push(d));
      resolve(socket);
    };
    socket.on('data', onData);
  });
}

// A masked binary frame, as a client must send it.
function clientFrame(payload, { fin = true, opcode = 2, rsv = 0, masked = true } = {}) {
  const header = [(fin ? 0x80 : 0) | (rsv << 4) | opcode];
  const maskBit = masked ? 0x80 : 0;
  if (payload.length < 126) header.push(maskBit | payload.length);
  else if (payload.length < 65536) header.push(maskBit | 126, payload.length >> 8, payload.length & 255);
  else {
    header.push(maskBit | 127, 0, 0, 0, 0);
    header.push((payload.length >>> 24) & 255, (payload.length >> 16) & 255, (payload.length >> 8) & 255, payload.length & 255);
  }
  if (!masked) return Buffer.concat([Buffer.from(header), payload]);
  const mask = crypto.randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; ++i) body[i] ^= mask[i % 4];
  return Buffer.concat([Buffer.from(header), mask, body]);
}

function closedWithin(socket, ms) {
  return new Promise((resolve) => {
    const started = Date.now();
    if (socket.destroyed) return resolve(0);
    const timer = setTimeout(() => resolve(-1), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
  });
}

// The close code of the first close frame the server sent, if any.
function serverCloseCode(socket) {
  const all = Buffer.concat(socket.received);
  for (let i = 0; i + 1 < all.length; ) {
    const opcode = all[i] & 15;
    let length = all[i + 1] & 127;
    let at = i + 2;
    if (length === 126) (length = all.readUInt16BE(at)), (at += 2);
    else if (length === 127) (length = Number(all.readBigUInt64BE(at))), (at += 8);
    if (opcode === 8) return length >= 2 ? all.readUInt16BE(at) : 1005;
    i = at + length;
  }
  return 0;
}

async function badFrame(kind) {
  const socket = await rawUpgrade();
  const payload = Buffer.from('SSH-2.0-garbage\r\n');
  if (kind === 'unmasked') socket.write(clientFrame(payload, { masked: false }));
  else if (kind === 'rsv') socket.write(clientFrame(payload, { rsv: 4 }));
  else if (kind === 'opcode') socket.write(clientFrame(payload, { opcode: 5 }));
  else fail('unknown frame kind ' + kind);
  const ms = await closedWithin(socket, 15000);
  if (ms < 0) fail('the server kept the connection open');
  console.log(`CLOSED code=${serverCloseCode(socket)} after ${ms}ms`);
}

// Payload of the server's SSH stream (binary frames), as one buffer.
function sshBytes(socket) {
  const all = Buffer.concat(socket.received);
  const out = [];
  for (let i = 0; i + 1 < all.length; ) {
    const opcode = all[i] & 15;
    let length = all[i + 1] & 127;
    let at = i + 2;
    if (length === 126) (length = all.readUInt16BE(at)), (at += 2);
    else if (length === 127) (length = Number(all.readBigUInt64BE(at))), (at += 8);
    if (opcode === 2 || opcode === 0) out.push(all.slice(at, at + length));
    i = at + length;
  }
  return Buffer.concat(out);
}

async function truncated() {
  const socket = await rawUpgrade();
  socket.write(clientFrame(Buffer.from('SSH-2.0-truncated\r\n')));
  // A packet announcing 1004 bytes (a multiple of the block size, so the
  // length itself is fine), of which 16 come.
  const packet = Buffer.alloc(4 + 16);
  packet.writeUInt32BE(1004, 0);
  packet[4] = 4;
  packet[5] = 20; // KEXINIT
  socket.write(clientFrame(packet));
  const ms = await closedWithin(socket, 60000);
  if (ms < 0) fail('the server kept the connection open for 60 s');
  console.log(`CLOSED after ${ms}ms, server said ${JSON.stringify(sshBytes(socket).slice(0, 40).toString('latin1').split('\r\n')[0])}`);
}

async function hugeLength() {
  const socket = await rawUpgrade();
  const packet = Buffer.alloc(64);
  packet.writeUInt32BE(0x7fffffff, 0);
  socket.write(clientFrame(Buffer.concat([Buffer.from('SSH-2.0-huge\r\n'), packet])));
  const ms = await closedWithin(socket, 15000);
  if (ms < 0) fail('the server kept the connection open');
  const text = sshBytes(socket).toString('latin1');
  console.log(`CLOSED after ${ms}ms disconnect=${text.includes('out of bounds') ? 'plain' : 'absent'}`);
}

async function hold(count, ms) {
  const sockets = [];
  // Opened in batches so the test machine's own accept queue is no limit.
  for (let i = 0; i < count; i += 50) {
    const batch = [];
    for (let j = i; j < Math.min(count, i + 50); ++j) batch.push(rawUpgrade());
    sockets.push(...(await Promise.all(batch)));
  }
  console.log(`OPEN ${sockets.length}`);
  const started = Date.now();
  const results = await Promise.all(sockets.map((s) => closedWithin(s, ms)));
  const closed = results.filter((r) => r >= 0).length;
  console.log(`HOLD_CLOSED ${closed} of ${count} within ${Date.now() - started}ms`);
  for (const s of sockets) s.destroy();
}

const scenarios = {
  matrix: () => matrix(args[0] || GOOD_PASSWORD),
  rekey: () => rekey(args[0], Number(args[1])),
  register: async () => {
    const state = await registerOne(args[0], args[1] || GOOD_PASSWORD, args[2]);
    await ping(state);
    state.client.end();
  },
  'wrong-password': wrongPassword,
  request: () => request(args[0], args[1]),
  'bad-frame': () => badFrame(args[0]),
  truncated,
  'huge-length': hugeLength,
  hold: () => hold(Number(args[0]), Number(args[1])),
  'go-silent': async () => {
    const state = await registerOne(args[0], GOOD_PASSWORD);
    // Nothing is read any more, so the server's pings go unanswered.
    state.ws._socket.pause();
    console.log('SILENT');
    await new Promise((resolve) => setTimeout(resolve, Number(args[1])));
  },
};

if (!port || !scenarios[scenario]) fail('usage: rport_ssh_peer.js <port> <scenario> [args...]');
scenarios[scenario]().then(
  () => {
    clearTimeout(overall);
    console.log('OK');
    process.exit(0);
  },
  (err) => {
    if (err.debugLines) console.error(err.debugLines.slice(-20).join('\n'));
    fail(err.stack || String(err));
  }
);
