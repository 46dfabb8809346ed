// Who may reach the servers of `demo` and `replay` (#13, case 7): not other machines with the
// default password, not other sites' web pages unless --allow-origin names them.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { runDemo } from '../../../src/cli/demoCommand';
import { runReplay } from '../../../src/cli/replayCommand';
import { allowedOrigins, exposureRefusal, isLoopbackHost } from '../../../src/cli/serverExposure';
import type { CommandIo } from '../../../src/cli/commandLine';
import { captureIo, removeTempDirs, tempDir, writeStoryTrace, type CapturedIo } from '../trace/traceFixtures';
import { TestClient, sleep } from '../simulator/testClient';

after(removeTempDirs);

const APP = 'https://app.example.com';
const OTHER = 'https://evil.example';

let storyTrace: Promise<string> | undefined;
function traceFile(): Promise<string> {
  storyTrace ??= (async () => {
    const file = path.join(tempDir(), 'story.nkmtrace');
    await writeStoryTrace(file);
    return file;
  })();
  return storyTrace;
}

type Command = (argv: string[], io: CommandIo) => Promise<number>;

/** The two servers, each as the arguments that run it on a free loopback port. */
const SERVERS: Array<{ name: string; run: Command; args: () => Promise<string[]> }> = [
  { name: 'demo', run: runDemo, args: async () => ['--port', '0', '--ping', '0'] },
  { name: 'replay', run: runReplay, args: async () => [await traceFile(), '--port', '0', '--ping', '0'] },
];

/** Starts a command that serves until aborted; `stop` aborts it and resolves with its exit code. */
async function serve(run: Command, argv: string[]): Promise<{ url: string; io: CapturedIo; stop(): Promise<number> }> {
  const controller = new AbortController();
  const io = captureIo(controller.signal);
  const exit = run(argv, io);
  const stop = () => {
    controller.abort();
    return exit;
  };
  for (let i = 0; i < 500; i++) {
    const url = /ws:\/\/\S+/.exec(io.out)?.[0];
    if (url) return { url, io, stop };
    await sleep(10);
  }
  await stop();
  throw new Error(`no URL printed: ${io.out}${io.err}`);
}

/** Connects as a page of `origin` would and logs in; 'ok', or the handshake's error. */
async function loginFrom(url: string, origin: string): Promise<string> {
  let client: TestClient;
  try {
    client = await TestClient.connect(url, { origin });
  } catch (error) {
    return (error as Error).message;
  }
  try {
    return String((await client.login('admin', 'admin')).result);
  } finally {
    await client.close();
  }
}

describe('isLoopbackHost and exposureRefusal', () => {
  test('loopback: 127.0.0.0/8, ::1 in any spelling, IPv4-mapped 127.x, localhost', { timeout: 5_000 }, () => {
    for (const host of ['127.0.0.1', '127.0.0.2', '127.255.0.9', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST']) {
      assert.equal(isLoopbackHost(host), true, host);
      assert.equal(exposureRefusal(host, undefined), undefined, host);
    }
  });

  test('not loopback: every interface (0.0.0.0, ::), LAN and mapped LAN addresses, host names', { timeout: 5_000 }, () => {
    for (const host of ['0.0.0.0', '::', '[::]', '192.168.1.20', '10.0.0.5', '::ffff:192.168.1.20', 'fe80::1', '128.0.0.1', 'media.example.com', 'localhost.example.com']) {
      assert.equal(isLoopbackHost(host), false, host);
      assert.match(exposureRefusal(host, undefined) ?? '', /can be reached from other machines.*default password admin: set one with --password-env VAR/, host);
      assert.equal(exposureRefusal(host, 'NKM_PASSWORD'), undefined, `${host} with a password of one's own`);
    }
  });

  test('allowedOrigins: written as browsers send them; paths, other schemes and * are refused', { timeout: 5_000 }, () => {
    assert.deepEqual(allowedOrigins(undefined), []);
    assert.deepEqual(allowedOrigins(['HTTPS://App.Example.com:443/', 'http://10.0.0.5:8080', APP]), [APP, 'http://10.0.0.5:8080']);
    for (const bad of ['*', 'https://app.example.com/page', 'https://app.example.com?x=1', 'ftp://app.example.com', 'null', 'app.example.com', 'https://user@app.example.com']) {
      assert.throws(() => allowedOrigins([bad]), /--allow-origin/, bad);
    }
  });
});

for (const server of SERVERS) {
  describe(`nkmedia-inspect ${server.name}: who may connect`, () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20']) {
      test(`--host ${host} with the default password is refused with exit code 2, naming --password-env`, { timeout: 10_000 }, async () => {
        const io = captureIo();
        assert.equal(await server.run([...(await server.args()), '--host', host], io), 2);
        assert.match(io.err, new RegExp(`^nkmedia-inspect ${server.name}: --host ${host.replace(/\./g, '\\.')} can be reached from other machines, .*set one with --password-env VAR`));
        assert.equal(io.err.trimEnd().split('\n').length, 1, io.err);
        assert.equal(io.out, '', 'nothing was started');
      });
    }

    test('--host 0.0.0.0 with --password-env starts', { timeout: 10_000 }, async () => {
      const controller = new AbortController();
      controller.abort();
      const io = captureIo(controller.signal);
      io.env = { NKM_TEST_PASSWORD: 'not-admin' };
      const code = await server.run([...(await server.args()), '--host', '0.0.0.0', '--password-env', 'NKM_TEST_PASSWORD'], io);
      assert.match(io.out, /on ws:\/\/0\.0\.0\.0:\d+/, io.err);
      assert.equal(code, server.name === 'demo' ? 0 : 130, 'stopped at once by the aborted signal');
    });

    test('--help documents --allow-origin; a bad value is a usage error', { timeout: 10_000 }, async () => {
      const help = captureIo();
      assert.equal(await server.run(['--help'], help), 0);
      assert.match(help.out, /--allow-origin ORIGIN +also let web pages of ORIGIN/);
      assert.match(help.out, /repeatable/);
      const bad = captureIo();
      assert.equal(await server.run([...(await server.args()), '--allow-origin', '*'], bad), 2);
      assert.match(bad.err, /--allow-origin \* would let every web page connect/);
    });

    test('--allow-origin lets that origin connect and log in; without it, and for other origins, HTTP 403', { timeout: 20_000 }, async () => {
      const allowed = await serve(server.run, [...(await server.args()), '--allow-origin', APP, '--allow-origin', 'http://10.0.0.5:8080']);
      try {
        assert.match(allowed.io.out, /web pages also allowed from: https:\/\/app\.example\.com, http:\/\/10\.0\.0\.5:8080/);
        assert.equal(await loginFrom(allowed.url, APP), 'ok');
        assert.equal(await loginFrom(allowed.url, 'http://10.0.0.5:8080'), 'ok', 'the flag is repeatable');
        assert.match(await loginFrom(allowed.url, OTHER), /403/);
      } finally {
        await allowed.stop();
      }
      const plain = await serve(server.run, await server.args());
      try {
        assert.match(await loginFrom(plain.url, APP), /403/, 'not allowed without the flag');
        assert.match(await loginFrom(plain.url, OTHER), /403/);
        assert.equal(await loginFrom(plain.url, 'http://localhost:3000'), 'ok', "this machine's pages still may");
      } finally {
        await plain.stop();
      }
    });
  });
}
