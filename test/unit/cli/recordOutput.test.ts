// #13 item 3: an unwritable --out (a directory, a missing folder) failed only after the whole
// recording, losing all of it. It must fail before connecting; and an existing file is kept
// unless --force is given.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runRecord } from '../../../src/cli/recordCommand';
import { FakeServer } from '../protocol/fakeServer';
import { removeCliScript, runCli } from './cliProcess';

let server: FakeServer;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nkm-record-out-'));

before(async () => {
  // A well-mannered server that sends one event after each subscription: with --max-events 1,
  // a recording that gets that far ends at once.
  server = await FakeServer.start({
    password: 'pw',
    reply: (frame, peer) => {
      if (frame.cmd === 'subscribe') setImmediate(() => peer.open && peer.sendEvent({ class: 'media', subclass: 'session', type: 'stop', obj_id: 's1', body: { code: 0 } }));
      return undefined;
    },
  });
});

after(async () => {
  await server.close();
  fs.rmSync(dir, { recursive: true, force: true });
  removeCliScript();
});

async function record(args: string[], password = 'pw'): Promise<{ code: number; stderr: string; stdout: string }> {
  let stdout = '';
  let stderr = '';
  const io = { stdout: (s: string) => void (stdout += s), stderr: (s: string) => void (stderr += s), env: { PW: password } as NodeJS.ProcessEnv };
  const code = await runRecord(['--url', server.url, '--password-env', 'PW', '--max-events', '1', '--duration', '5', ...args], io);
  return { code, stdout, stderr };
}

describe('record --out', () => {
  const refusals: Array<[string, () => string, RegExp]> = [
    ['a directory', () => dir, /--out .* is a directory; name a file in it/],
    ['a file in a folder that does not exist', () => path.join(dir, 'no-such-folder', 'x.nkmtrace'), /the folder .*no-such-folder does not exist/],
    ['a path through a file', () => {
      const file = path.join(dir, 'plain.txt');
      fs.writeFileSync(file, 'x');
      return path.join(file, 'x.nkmtrace');
    }, /a part of its path is a file, not a folder/],
  ];
  for (const [what, target, message] of refusals) {
    test(`${what} is refused before connecting, with the reason`, { timeout: 10_000 }, async () => {
      const connectionsBefore = server.peers.length;
      const { code, stderr } = await record(['--out', target()]);
      assert.equal(code, 1);
      assert.match(stderr, message);
      assert.equal(server.peers.length, connectionsBefore, 'the recorder connected anyway');
    });
  }

  test('a FIFO is refused before connecting (it would block the open for ever)', { timeout: 30_000 }, async () => {
    const fifo = path.join(dir, 'pipe.nkmtrace');
    execFileSync('mkfifo', [fifo]);
    const connectionsBefore = server.peers.length;
    // In a child process: should the open block on the FIFO, killing the child ends it.
    const { code, stderr } = await runCli(['record', '--url', server.url, '--password-env', 'PW', '--out', fifo, '--max-events', '1'], 15_000, { env: { PW: 'pw' } });
    assert.equal(code, 1);
    assert.match(stderr, /pipe\.nkmtrace exists and is not a regular file/);
    assert.equal(server.peers.length, connectionsBefore, 'the recorder connected anyway');
  });

  test('an existing file is kept, and nothing connects, without --force', { timeout: 10_000 }, async () => {
    const file = path.join(dir, 'last-night.nkmtrace');
    fs.writeFileSync(file, 'precious\n');
    const connectionsBefore = server.peers.length;
    const { code, stderr } = await record(['--out', file]);
    assert.equal(code, 1);
    assert.match(stderr, /last-night\.nkmtrace already exists; use --force to overwrite it/);
    assert.equal(fs.readFileSync(file, 'utf8'), 'precious\n');
    assert.equal(server.peers.length, connectionsBefore);
  });

  test('--force overwrites it, but only once the login worked', { timeout: 10_000 }, async () => {
    const file = path.join(dir, 'overwrite.nkmtrace');
    fs.writeFileSync(file, 'precious\n');
    const refused = await record(['--out', file, '--force'], 'wrong');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /login refused/);
    assert.equal(fs.readFileSync(file, 'utf8'), 'precious\n', 'a refused login must not cost the old file');

    const recorded = await record(['--out', file, '--force']);
    assert.equal(recorded.code, 0, recorded.stderr);
    assert.equal(JSON.parse(fs.readFileSync(file, 'utf8').split('\n')[0]).format, 'nkmedia-trace');
  });

  test('the file reserved before connecting is removed again when the login is refused', { timeout: 10_000 }, async () => {
    const file = path.join(dir, 'new.nkmtrace');
    const { code } = await record(['--out', file], 'wrong');
    assert.equal(code, 1);
    assert.ok(!fs.existsSync(file), 'no empty file is left behind');
  });
});
