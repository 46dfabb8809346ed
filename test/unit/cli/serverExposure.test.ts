// Who may reach the servers of `demo` and `replay` (#13, case 7): not other machines with the
// default password.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { runDemo } from '../../../src/cli/demoCommand';
import { runReplay } from '../../../src/cli/replayCommand';
import { exposureRefusal, isLoopbackHost } from '../../../src/cli/serverExposure';
import type { CommandIo } from '../../../src/cli/commandLine';
import { captureIo, removeTempDirs, tempDir, writeStoryTrace } from '../trace/traceFixtures';

after(removeTempDirs);

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

  });
}
