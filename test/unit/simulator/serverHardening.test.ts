// The demo and replay servers face whatever connects to them (#13, case 7): a web page the
// user visits, a password guesser, a client that subscribes without end, names that forge
// log lines. Each test reproduces the attack against a real server on a real socket.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { MemoryLogger } from '../../../src/shared/logger';
import { logValue } from '../../../src/shared/terminalText';
import { originAllowed } from '../../../src/simulator/browserOrigin';
import { CLOSE_TOO_MANY_LOGINS } from '../../../src/simulator/closeCodes';
import { MAX_LOGIN_FAILURES, MAX_SUBSCRIPTIONS } from '../../../src/simulator/clientRequests';
import { TestClient, withSimulator } from './testClient';

/** Opens a WebSocket with this Origin header; resolves with 'open' or the handshake error. */
function handshake(url: string, origin?: string): Promise<string> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin === undefined ? {} : { origin });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('error', (error) => resolve(error.message));
  });
}

test('a web page of another site cannot open a socket to the server; this machine\'s pages and non-browsers can', { timeout: 15_000 }, async () => {
  const logger = new MemoryLogger();
  await withSimulator({ logger }, async (_simulator, url) => {
    assert.equal(await handshake(url), 'open', 'no Origin: the extension, record, Node clients');
    assert.equal(await handshake(url, 'http://localhost:3000'), 'open');
    assert.equal(await handshake(url, 'http://127.0.0.1:8080'), 'open');
    assert.match(await handshake(url, 'https://evil.example'), /403/);
    assert.match(await handshake(url, 'null'), /403/, 'a sandboxed page or a file: is not this machine\'s page');
    assert.match(await handshake(url, 'http://localhost.evil.example'), /403/);
    assert.ok(logger.entries.some((e) => /refused a WebSocket from the web page "https:\/\/evil\.example"/.test(e.message)));
  });
  await withSimulator({ allowedOrigins: ['https://app.example.com'] }, async (_simulator, url) => {
    assert.equal(await handshake(url, 'https://app.example.com'), 'open', 'a page the user allowed');
    assert.match(await handshake(url, 'https://evil.example'), /403/);
  });
});

test(`a password guesser gets ${MAX_LOGIN_FAILURES} tries per connection, then the connection closes`, { timeout: 20_000 }, async () => {
  const logger = new MemoryLogger();
  await withSimulator({ logger, password: 'right' }, async (_simulator, url) => {
    const client = await TestClient.connect(url);
    try {
      // All sent at once, as a guesser would: the server answers them one by one, slower each time.
      for (let i = 0; i < 50; i++) client.send({ class: 'core', subclass: 'user', cmd: 'login', tid: i + 1, data: { user: 'admin', pass: `guess${i}` } });
      const closed = await client.waitForClose(15_000);
      assert.equal(closed.code, CLOSE_TOO_MANY_LOGINS);
      assert.equal(closed.reason, 'too many failed logins');
      const answers = client.frames.filter((f) => f.result === 'error');
      assert.equal(answers.length, MAX_LOGIN_FAILURES, 'one answer per try that was heard, none after');
      assert.equal(logger.entries.filter((e) => /failed login/.test(e.message)).length, MAX_LOGIN_FAILURES, 'and as many log lines');
    } finally {
      await client.close();
    }
    // A new connection may log in: the limit is per connection, not a lock-out of the user.
    const next = await TestClient.connect(url);
    try {
      assert.equal((await next.login('admin', 'right')).result, 'ok');
    } finally {
      await next.close();
    }
  });
});

test('a user name with a newline or terminal escapes cannot forge a log line', { timeout: 10_000 }, async () => {
  const logger = new MemoryLogger();
  await withSimulator({ logger }, async (_simulator, url) => {
    const client = await TestClient.connect(url);
    try {
      const forged = 'bob\n[info] client 1: logged in as "root"\u001b]52;c;cHduZWQ=\u0007';
      assert.equal((await client.login(forged)).result, 'ok');
      const line = logger.entries.find((e) => /logged in as/.test(e.message))?.message ?? '';
      assert.equal(line.split('\n').length, 1, line);
      assert.doesNotMatch(line, /[\u0000-\u001f\u007f]/, 'no control character reaches the log');
      assert.match(line, /logged in as "bob\\n\[info\] client 1: logged in as \\"root\\"\\u001b\]52;c;cHduZWQ=\\u0007"$/);
    } finally {
      await client.close();
    }
  });
  assert.equal(logValue('a\u2028b\u202ec'), '"a\\u2028b\\u202ec"', 'line separators and bidi overrides too');
  assert.equal(logValue('x'.repeat(300)).length, 100 + 3, 'cut, with an ellipsis');
});

test(`subscriptions are capped at ${MAX_SUBSCRIPTIONS} per connection, with an error answer`, { timeout: 20_000 }, async () => {
  await withSimulator({}, async (_simulator, url) => {
    const client = await TestClient.connect(url);
    try {
      assert.equal((await client.login()).result, 'ok');
      let refused: Record<string, unknown> | undefined;
      for (let i = 0; i < MAX_SUBSCRIPTIONS + 5 && !refused; i++) {
        const answer = await client.subscribe({ class: 'media', subclass: 'session', obj_id: `s${i}` });
        if (answer.result !== 'ok') refused = answer;
      }
      assert.ok(refused, 'a subscription past the cap is refused');
      assert.equal(refused.result, 'error');
      assert.match(JSON.stringify(refused.data), /too_many_subscriptions/);
      assert.ok(client.isOpen, 'the connection stays usable');
      assert.equal((await client.request('core', 'event', 'unsubscribe', { class: 'media', subclass: 'session', obj_id: 's0' })).result, 'ok');
      assert.equal((await client.subscribe({ class: 'media', subclass: 'call' })).result, 'ok', 'room again after an unsubscribe');
    } finally {
      await client.close();
    }
  });
});

test('originAllowed: loopback pages, listed pages, no Origin; nothing else', () => {
  for (const ok of [undefined, '', 'http://localhost', 'https://127.0.0.5:9', 'http://[::1]:80']) assert.equal(originAllowed(ok), true, String(ok));
  for (const bad of ['https://example.com', 'null', 'file://', 'chrome-extension://abc', 'http://127.0.0.1.evil.example', 'not a url']) assert.equal(originAllowed(bad), false, bad);
  assert.equal(originAllowed('https://x.example', ['*']), true);
});

test('a subscription whose body nests 100,000 levels deep is answered, and traffic goes on for every client', { timeout: 20_000 }, async () => {
  await withSimulator({ rate: 200, pingSeconds: 0 }, async (_simulator, url) => {
    const watcher = await TestClient.connect(url);
    const hostile = await TestClient.connect(url);
    try {
      await watcher.login();
      await watcher.subscribe({ class: 'media' });
      await hostile.login();
      // The probe of #13 saw this stop the demo's traffic for every client. Today the frame is
      // cut at the boundary (shared/jsonDepth.ts); the subscription code also reads only the
      // fields it knows, so this guards the behaviour, whichever layer holds it.
      hostile.sendRaw(`{"class":"core","subclass":"event","cmd":"subscribe","tid":77,"data":{"class":"media","body":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`);
      const answer = await hostile.waitFor((f) => f.tid === 77, 'the answer to the deep subscription');
      assert.ok(answer.result === 'ok' || answer.result === 'error', JSON.stringify(answer).slice(0, 200));
      const before = watcher.events.length;
      await watcher.waitForEvents(before + 50, 10_000);
    } finally {
      await hostile.close();
      await watcher.close();
    }
  });
});
