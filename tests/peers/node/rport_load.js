#!/usr/bin/env node
// A load generator that holds many simulated rport clients in one process,
// for tests/bench/clients.sh. Each client does what the original rport client
// does on the wire, and nothing more:
//
//   WebSocket upgrade (Sec-WebSocket-Protocol: rport-v1, no compression)
//   -> SSH over binary messages, identification "SSH-rport-v1-client"
//   -> password authentication ("none" first, as Go's ssh client does)
//   -> global request new_connection with the client's JSON (want reply)
//   -> idle: answers the server's global requests (ping, put_capabilities)
//      with "failure", which the servers take as "still there".
//
//   node rport_load.js --url ws://127.0.0.1:PORT --auth ID:PASSWORD --count N
//       [--concurrency C]      connections being set up at once (default 100;
//                              0 = all N at once)
//       [--id-prefix P]        client IDs are P-0 .. P-(N-1) (default "load")
//       [--duration S]         stay connected S seconds, then exit; default 0:
//                              until SIGTERM/SIGINT or stdin closes
//       [--timeout MS]         per client, from dialing to the reply to
//                              new_connection (default 120000)
//       [--fingerprint FP]     expected MD5 host-key fingerprint (any prefix
//                              of the colon-hex form, as the rport client)
//       [--ident rport|ssh2]   identification sent: "SSH-rport-v1-client" as the
//                              original client (default) or ssh2's own
//                              "SSH-2.0-ssh2js..."
//       [--request FILE]       JSON template of the connection request
//                              (default tests/fixtures/clients/connection-request.json);
//                              ID, Name and SessionID are set per client
//
// Output: JSON lines on stdout.
//   {"event":"ready", ...}  once every client is connected or has failed:
//     connected, failed, failures {reason: count}, all_connected_ms (from the
//     first dial to the last new_connection reply), attempts_done_ms,
//     connect_ms {p50, p90, p99, max} per client, cpu_ms of this process
//   {"event":"status", ...} on SIGUSR1: currently connected, dropped since ready
//   {"event":"done", ...}   at the end: connected, dropped (connections the
//     server closed after they were established), drop reasons
// Exit status 0 when it ran (whatever the failures), 2 on bad arguments.
//
// SSH identification: ssh2 only accepts a server identification starting with
// "SSH-2.0-" or "SSH-1.99-", but the original server answers
// "SSH-rport-v1-server" (and ours does to "SSH-rport-*" clients). The byte
// stream between ssh2 and the WebSocket is therefore patched: the server's
// line is shown to ssh2 as "SSH-2.0-<rest>", and the bytes ssh2 uses in the
// key-exchange hash (Protocol._remoteIdentRaw, _identRaw) are set back to the
// ones really exchanged, so host-key signatures verify as with any client.
// new_connection goes out through ssh2's internal packet writer, as its
// Protocol.tcpipForward builds a GLOBAL_REQUEST: ssh2 has no public API for
// arbitrary global requests.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { Duplex } = require('stream');
const { Client } = require('ssh2');
const WebSocket = require('ws');

// ---- arguments ----

function usage(message) {
  if (message) process.stderr.write(`rport_load: ${message}\n`);
  process.stderr.write('usage: rport_load.js --url ws://HOST:PORT --auth ID:PASSWORD --count N ' +
    '[--concurrency C] [--id-prefix P] [--duration S] [--timeout MS] [--fingerprint FP] ' +
    '[--ident rport|ssh2] [--request FILE]\n');
  process.exit(2);
}

const opts = {
  url: '', auth: '', count: 0, concurrency: 100, idPrefix: 'load', duration: 0, timeout: 120000,
  fingerprint: '', ident: 'rport',
  request: path.join(__dirname, '..', '..', 'fixtures', 'clients', 'connection-request.json'),
};
{
  const argv = process.argv.slice(2);
  const names = {
    '--url': 'url', '--auth': 'auth', '--count': 'count', '--concurrency': 'concurrency',
    '--id-prefix': 'idPrefix', '--duration': 'duration', '--timeout': 'timeout',
    '--fingerprint': 'fingerprint', '--ident': 'ident', '--request': 'request',
  };
  for (let i = 0; i < argv.length; i += 2) {
    const key = names[argv[i]];
    if (!key || i + 1 >= argv.length) usage(`bad argument ${argv[i]}`);
    const value = argv[i + 1];
    opts[key] = typeof opts[key] === 'number' ? Number(value) : value;
    if (typeof opts[key] === 'number' && !Number.isFinite(opts[key])) usage(`${argv[i]} needs a number`);
  }
  if (!/^wss?:\/\//.test(opts.url)) usage('--url must be ws://HOST:PORT');
  if (!opts.auth.includes(':')) usage('--auth must be ID:PASSWORD');
  if (!(opts.count > 0)) usage('--count must be > 0');
  if (opts.ident !== 'rport' && opts.ident !== 'ssh2') usage('--ident is rport or ssh2');
  if (opts.concurrency <= 0) opts.concurrency = opts.count;
}
const [authUser, ...authRest] = opts.auth.split(':');
const authPass = authRest.join(':');
const template = JSON.parse(fs.readFileSync(opts.request, 'utf8'));
const fingerprint = opts.fingerprint.toLowerCase();

// Each client needs one descriptor; say so up front instead of failing
// thousands of times with EMFILE.
try {
  const limits = fs.readFileSync('/proc/self/limits', 'utf8');
  const m = /^Max open files\s+(\d+)/m.exec(limits);
  if (m && Number(m[1]) < opts.count + 64) {
    usage(`ulimit -n is ${m[1]}, too low for ${opts.count} clients (raise it to at least ${opts.count + 64})`);
  }
} catch { /* not Linux: let it fail at connect */ }

// ---- the WebSocket as a byte stream for ssh2 ----

const RPORT_CLIENT_IDENT = Buffer.from('SSH-rport-v1-client');

class WsStream extends Duplex {
  constructor(ws, patch) {
    super({ allowHalfOpen: false });
    this._ws = ws;
    this._patch = patch;        // the ssh2 Client, once its Protocol exists
    this._sentIdent = false;
    this._header = Buffer.alloc(0);  // server bytes until its identification line
    ws.on('message', (data) => this._incoming(data));
    ws.on('close', () => { this.push(null); this.destroy(); });
    ws.on('error', (err) => this.destroy(err));
  }

  _incoming(data) {
    if (this._header !== null) {
      this._header = Buffer.concat([this._header, data]);
      const eol = this._header.indexOf(10);
      if (eol < 0) return;
      let line = this._header.subarray(0, eol);
      const rest = this._header.subarray(eol + 1);
      this._header = null;
      const text = line.toString('latin1').replace(/\r$/, '');
      if (/^SSH-/.test(text) && !/^SSH-(2\.0|1\.99)-/.test(text)) {
        // "SSH-rport-v1-server" -> "SSH-2.0-rport-v1-server" for ssh2's
        // parser; the real line goes back into the exchange hash below.
        line = Buffer.from('SSH-2.0-' + text.slice(4) + '\r', 'latin1');
        this._patch.remoteIdent = Buffer.from(text, 'latin1');
      }
      data = Buffer.concat([line, Buffer.from('\n'), rest]);
    }
    if (!this.push(data)) this._ws.pause();
  }

  _read() { this._ws.resume(); }

  _write(chunk, _encoding, callback) {
    if (!this._sentIdent) {
      this._sentIdent = true;
      if (opts.ident === 'rport' && chunk.subarray(0, 8).toString('latin1') === 'SSH-2.0-') {
        chunk = Buffer.concat([RPORT_CLIENT_IDENT, Buffer.from('\r\n')]);
      }
    }
    if (this._ws.readyState !== WebSocket.OPEN) return callback(new Error('websocket not open'));
    this._ws.send(chunk, { binary: true }, callback);
  }

  _final(callback) { this._ws.close(1000); callback(); }

  _destroy(err, callback) {
    if (this._ws.readyState === WebSocket.OPEN || this._ws.readyState === WebSocket.CONNECTING) this._ws.terminate();
    callback(err);
  }
}

// ---- one simulated client ----

const stats = {
  started: 0, connected: 0, failed: 0, failures: {}, dropped: 0, drops: {},
  capabilities: 0, latencies: [], firstDial: 0, lastConnected: 0, attemptsDone: 0,
};
let readyReported = false;

function count(map, reason) { map[reason] = (map[reason] || 0) + 1; }

function reasonOf(err, phase) {
  let text = err && err.message ? err.message : String(err);
  // Keep reasons few: no addresses, ports or numbers that differ per client.
  text = text.replace(/\d+\.\d+\.\d+\.\d+:\d+/g, 'ADDR').replace(/\s+/g, ' ').slice(0, 120);
  return `${phase}: ${text}`;
}

function sendNewConnection(client, payload, onReply) {
  // Like ssh2's Protocol.tcpipForward: GLOBAL_REQUEST, name, want_reply,
  // then the request data as it is (Go's ssh.Conn.SendRequest: no length).
  const proto = client._protocol;
  const { sendPacket, writeUInt32BE } = require('ssh2/lib/protocol/utils');
  const name = 'new_connection';
  let p = proto._packetRW.write.allocStart;
  const packet = proto._packetRW.write.alloc(1 + 4 + name.length + 1 + payload.length);
  packet[p] = 80;  // SSH_MSG_GLOBAL_REQUEST
  writeUInt32BE(packet, name.length, ++p);
  packet.utf8Write(name, p += 4, name.length);
  packet[p += name.length] = 1;  // want reply
  packet.set(payload, ++p);
  client._callbacks.push(onReply);
  sendPacket(proto, proto._packetRW.write.finalize(packet));
}

function runClient(index) {
  return new Promise((resolve) => {
    const id = `${opts.idPrefix}-${index}`;
    const started = process.hrtime.bigint();
    let phase = 'websocket';
    let done = false;
    let connected = false;
    let client = null;
    let ws = null;

    const timer = setTimeout(() => finish(new Error(`timed out after ${opts.timeout} ms`), `timeout in ${phase}`),
      opts.timeout);

    function finish(err, reasonPhase) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) {
        stats.failed += 1;
        // A reason from lost() already names its phase.
        count(stats.failures, reasonPhase === null ? err.message : reasonOf(err, reasonPhase || phase));
        if (client) client.end();
        if (ws) ws.terminate();
      } else {
        connected = true;
        stats.connected += 1;
        const now = process.hrtime.bigint();
        stats.latencies.push(Number(now - started) / 1e6);
        stats.lastConnected = Number(now - stats.firstDial) / 1e6;
      }
      stats.attemptsDone = Number(process.hrtime.bigint() - stats.firstDial) / 1e6;
      resolve();
    }

    function lost(reason) {
      if (!done) return finish(new Error(reason), null);
      if (connected) {
        connected = false;
        stats.connected -= 1;
        stats.dropped += 1;
        count(stats.drops, reason);
      }
    }

    ws = new WebSocket(opts.url, {
      headers: { 'Sec-WebSocket-Protocol': 'rport-v1' },
      perMessageDeflate: false,
      handshakeTimeout: opts.timeout,
    });
    ws.binaryType = 'nodebuffer';
    ws.on('unexpected-response', (_req, res) => {
      finish(new Error(`HTTP ${res.statusCode}`), 'websocket');
      res.resume();
    });
    ws.on('error', (err) => lost(reasonOf(err, phase)));
    ws.on('close', (code) => lost(`websocket closed (${code}) in ${connected ? 'idle' : phase}`));
    ws.once('open', () => {
      phase = 'ssh handshake';
      const patch = { remoteIdent: null };
      const sock = new WsStream(ws, patch);
      sock.on('error', () => {});  // reported through ws and ssh2
      client = new Client();
      client.on('error', (err) => lost(reasonOf(err, connected ? 'idle ssh' : phase)));
      client.on('close', () => lost(`ssh closed in ${connected ? 'idle' : phase}`));
      client.on('handshake', () => { phase = 'authentication'; });
      client.on('ready', () => {
        phase = 'new_connection';
        const request = Object.assign({}, template, {
          ID: id, Name: id, SessionID: crypto.randomUUID(),
        });
        sendNewConnection(client, Buffer.from(JSON.stringify(request)), (hadErr, data) => {
          if (hadErr instanceof Error) return finish(hadErr, 'new_connection');
          if (hadErr) return finish(new Error('refused'), 'new_connection');
          void data;
          finish(null);
        });
      });
      client.connect({
        sock,
        username: authUser,
        password: authPass,
        readyTimeout: opts.timeout,
        keepaliveInterval: 0,
        hostVerifier: (key) => {
          if (!fingerprint) return true;
          const md5 = crypto.createHash('md5').update(key).digest('hex').match(/../g).join(':');
          if (md5.startsWith(fingerprint)) return true;
          finish(new Error(`host key ${md5} does not match ${fingerprint}`), 'ssh handshake');
          return false;
        },
      });
      const proto = client._protocol;
      if (opts.ident === 'rport') proto._identRaw = RPORT_CLIENT_IDENT;
      // Right after ssh2 has parsed the server's line, before the key
      // exchange: restore the line that was really sent.
      const onHeader = proto._onHeader;
      proto._onHeader = (header) => {
        if (patch.remoteIdent) proto._remoteIdentRaw = patch.remoteIdent;
        return onHeader(header);
      };
      // Count put_capabilities, then let ssh2 answer as usual.
      const handlers = proto._handlers;
      if (handlers && typeof handlers.GLOBAL_REQUEST === 'function') {
        const original = handlers.GLOBAL_REQUEST;
        handlers.GLOBAL_REQUEST = (p, name, wantReply, data) => {
          if (name === 'put_capabilities') stats.capabilities += 1;
          return original(p, name, wantReply, data);
        };
      }
    });
  });
}

// ---- driver ----

function percentile(sorted, q) {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return Math.round(sorted[i] * 10) / 10;
}

function cpuMs() {
  const u = process.cpuUsage();
  return Math.round((u.user + u.system) / 1000);
}

function emit(event, extra) {
  const line = Object.assign({ event, connected: stats.connected }, extra);
  process.stdout.write(JSON.stringify(line) + '\n');
}

function reportReady() {
  readyReported = true;
  const sorted = stats.latencies.slice().sort((a, b) => a - b);
  emit('ready', {
    count: opts.count,
    failed: stats.failed,
    failures: stats.failures,
    all_connected_ms: stats.failed === 0 ? Math.round(stats.lastConnected) : null,
    last_connected_ms: Math.round(stats.lastConnected),
    attempts_done_ms: Math.round(stats.attemptsDone),
    connect_ms: {
      p50: percentile(sorted, 0.5), p90: percentile(sorted, 0.9), p99: percentile(sorted, 0.99),
      max: percentile(sorted, 1),
    },
    capabilities_received: stats.capabilities,
    concurrency: opts.concurrency,
    cpu_ms: cpuMs(),
    rss_kb: Math.round(process.memoryUsage().rss / 1024),
  });
}

let stopping = false;
function stop(why) {
  if (stopping) return;
  stopping = true;
  emit('done', {
    why, dropped: stats.dropped, drops: stats.drops, capabilities_received: stats.capabilities,
    cpu_ms: cpuMs(),
  });
  // No goodbyes: the sockets close with the process, as when a machine
  // full of clients goes away.
  process.exit(0);
}

process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGUSR1', () => emit('status', { dropped: stats.dropped, drops: stats.drops, ready: readyReported }));
if (opts.duration === 0) {
  process.stdin.on('end', () => stop('stdin closed'));
  process.stdin.on('error', () => {});
  process.stdin.resume();
}

async function main() {
  stats.firstDial = process.hrtime.bigint();
  let next = 0;
  async function lane() {
    while (next < opts.count) {
      const index = next++;
      stats.started += 1;
      await runClient(index);
    }
  }
  const lanes = [];
  for (let i = 0; i < Math.min(opts.concurrency, opts.count); ++i) lanes.push(lane());
  await Promise.all(lanes);
  reportReady();
  if (opts.duration > 0) setTimeout(() => stop('duration'), opts.duration * 1000);
}

main().catch((err) => {
  process.stderr.write(`rport_load: ${err.stack || err}\n`);
  process.exit(1);
});
