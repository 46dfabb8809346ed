// wss:// with a self-signed certificate generated at run time. openssl is required: if it is
// missing, the `before` hook fails and so does this suite (it never skips).
// The tests share the server, never a client: each makes its own and talks to the peer its
// own connect opened, so that any one of them runs alone by name.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NkServiceClient } from '../../../src/protocol/client';
import { MemoryLogger } from '../../../src/shared/logger';
import { FakeServer, sampleEvent, waitUntil } from './fakeServer';

let dir: string;
let certFile: string;
let srv: FakeServer;
const clients: NkServiceClient[] = [];

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nkm-tls-'));
  certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '2', '-keyout', keyFile, '-out', certFile],
    { stdio: 'pipe' },
  );
  srv = await FakeServer.start({ tls: { cert: fs.readFileSync(certFile), key: fs.readFileSync(keyFile) } });
});

after(async () => {
  for (const client of clients) {
    await client.disconnect();
    client.dispose();
  }
  await srv?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function client(options: Partial<ConstructorParameters<typeof NkServiceClient>[0]> = {}): { client: NkServiceClient; logger: MemoryLogger } {
  const logger = new MemoryLogger();
  const c = new NkServiceClient({ url: srv.url, user: 'admin', password: 'admin', logger, ...options });
  clients.push(c);
  return { client: c, logger };
}

describe('NkServiceClient over wss://', () => {
  test('default options reject a self-signed certificate with a clear message', async () => {
    const { client: c } = client();
    await assert.rejects(c.connect(), (error: Error) => {
      assert.equal(
        error.message,
        `TLS certificate of ${srv.url} was rejected: self-signed certificate ` +
          '(set tls.caFile to the CA or certificate you trust, or set rejectUnauthorized: false for this connection only if you trust it)',
      );
      return true;
    });
    assert.equal(c.state.kind, 'disconnected');
  });

  test('tls.caFile pointing at the certificate: connects, with checks on and no warning', async () => {
    const { client: c, logger } = client({ tls: { caFile: certFile } });
    const events: unknown[] = [];
    c.onEvent((e) => events.push(e.data));
    const peersBefore = srv.peers.length;
    await c.connect();
    assert.equal(srv.peers.length, peersBefore + 1, 'one new connection at the server');
    srv.peers[peersBefore].sendEvent(sampleEvent(1));
    await waitUntil(() => events.length === 1, 'an event over TLS');
    assert.equal(logger.text('warn'), '');
  });

  test('tls.ca as PEM text works the same', async () => {
    const { client: c } = client({ tls: { ca: fs.readFileSync(certFile, 'utf8') } });
    await c.connect();
    assert.equal(c.state.kind, 'connected');
  });

  test('rejectUnauthorized: false connects and logs that checks are off', async () => {
    const { client: c, logger } = client({ tls: { rejectUnauthorized: false } });
    await c.connect();
    assert.equal(c.state.kind, 'connected');
    assert.match(logger.text('warn'), new RegExp(`TLS certificate checks are OFF for ${srv.url.replace(/[.]/g, '\\.')}`));
  });

  test('an unreadable CA file is named in the error', async () => {
    const missing = path.join(dir, 'missing.pem');
    const { client: c } = client({ tls: { caFile: missing } });
    await assert.rejects(c.connect(), { message: `cannot read the TLS CA file ${missing} for ${srv.url}: ENOENT` });
  });

  test('wss:// to a plain ws server says the server does not speak TLS', async () => {
    const plain = await FakeServer.start();
    try {
      const c = new NkServiceClient({ url: plain.url.replace('ws://', 'wss://'), user: 'admin', password: 'admin' });
      clients.push(c);
      await assert.rejects(c.connect(), /TLS handshake with wss:\/\/127\.0\.0\.1:\d+ failed: wrong version number \(is the server really speaking TLS/);
    } finally {
      await plain.close();
    }
  });
});
