import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { runDemo } from '../../../src/cli/demoCommand';
import { TestClient, sleep } from '../simulator/testClient';

interface Captured {
  stdout: string;
  stderr: string;
  io: Parameters<typeof runDemo>[1];
}

function capture(env: NodeJS.ProcessEnv = {}, signal?: AbortSignal): Captured {
  const captured: Captured = {
    stdout: '',
    stderr: '',
    io: {
      stdout: (s) => (captured.stdout += s),
      stderr: (s) => (captured.stderr += s),
      env,
      signal,
    },
  };
  return captured;
}

async function waitForOutput(captured: Captured, pattern: RegExp): Promise<RegExpMatchArray> {
  for (let i = 0; i < 500; i++) {
    const match = captured.stdout.match(pattern);
    if (match) return match;
    await sleep(10);
  }
  throw new Error(`no ${pattern} in output: ${captured.stdout}${captured.stderr}`);
}

describe('nkmedia-inspect demo', () => {
  test('--help prints the usage and exits 0', async () => {
    const out = capture();
    assert.equal(await runDemo(['--help'], out.io), 0);
    assert.match(out.stdout, /usage: nkmedia-inspect demo/);
    assert.match(out.stdout, /--password-env VAR/);
  });

  for (const [argv, complaint] of [
    [['--bogus'], /Unknown option '--bogus'/],
    [['--port', 'abc'], /--port must be a number, not "abc"/],
    [['--port', '70000'], /--port must be between 0 and 65535/],
    [['--rate=-5'], /--rate must be between/],
    [['--ping', 'x'], /--ping must be a number/],
    [['--seed', '1.5'], /--seed must be a whole number/],
    [['--dialect', '2018'], /--dialect must be one of 2016-07, 2016-08, 2016-10, 2017, nkcollab-2016, nkcollab-2017, not "2018"/],
    [['--fault-rate', '2'], /--fault-rate must be between 0 and 1/],
    [['--idle-timeout', 'x'], /--idle-timeout must be a number/],
    [['extra'], /Unexpected argument 'extra'/],
  ] as const) {
    test(`bad arguments (${argv.join(' ')}) give one line on stderr and exit code 2`, async () => {
      const out = capture();
      assert.equal(await runDemo([...argv], out.io), 2);
      assert.match(out.stderr, complaint);
      assert.equal(out.stderr.trim().split('\n').length, 1, out.stderr);
      assert.equal(out.stdout, '');
    });
  }

  test('--password-env naming an unset variable is an error', async () => {
    const out = capture({});
    assert.equal(await runDemo(['--password-env', 'NKM_TEST_PASSWORD', '--port', '0'], out.io), 2);
    assert.match(out.stderr, /environment variable NKM_TEST_PASSWORD is not set/);
  });

  test('a port in use is reported in one line with exit code 1', async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const out = capture();
      assert.equal(await runDemo(['--port', String(port)], out.io), 1);
      assert.match(out.stderr, new RegExp(`port ${port} on 127.0.0.1 is already in use`));
      assert.equal(out.stderr.trim().split('\n').length, 1, out.stderr);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  test('serves with the password from the environment, never prints it, and stops on abort', async () => {
    const controller = new AbortController();
    const out = capture({ NKM_TEST_PASSWORD: 'hunter2-secret' }, controller.signal);
    const sigintListeners = process.listenerCount('SIGINT');
    const sigtermListeners = process.listenerCount('SIGTERM');
    const exit = runDemo(['--port', '0', '--user', 'ops', '--password-env', 'NKM_TEST_PASSWORD', '--rate', '200', '--seed', '3'], out.io);
    const [url] = await waitForOutput(out, /ws:\/\/127\.0\.0\.1:\d+/);
    assert.match(out.stdout, /password: from \$NKM_TEST_PASSWORD/);
    assert.match(out.stdout, /user: ops/);

    const client = await TestClient.connect(url);
    try {
      assert.equal((await client.login('ops', 'admin')).result, 'error');
      assert.equal((await client.login('ops', 'hunter2-secret')).result, 'ok');
      await client.subscribe({ class: 'media' });
      await client.waitForEvents(5);
    } finally {
      await client.close();
    }

    controller.abort();
    assert.equal(await exit, 0);
    assert.ok(!out.stdout.includes('hunter2-secret') && !out.stderr.includes('hunter2-secret'), 'the password was printed');
    assert.equal(process.listenerCount('SIGINT'), sigintListeners);
    assert.equal(process.listenerCount('SIGTERM'), sigtermListeners);
    await assert.rejects(TestClient.connect(url), 'the server still accepts connections after stopping');
  });

  test('without --password-env the default admin password is used and said so', async () => {
    const controller = new AbortController();
    const out = capture({}, controller.signal);
    const exit = runDemo(['--port', '0', '--ping', '0'], out.io);
    const [url] = await waitForOutput(out, /ws:\/\/127\.0\.0\.1:\d+/);
    assert.match(out.stdout, /password: admin \(default; use --password-env VAR to set one\)/);
    assert.match(out.stdout, /no pings/);
    const client = await TestClient.connect(url);
    try {
      assert.equal((await client.login('admin', 'admin')).result, 'ok');
    } finally {
      await client.close();
    }
    controller.abort();
    assert.equal(await exit, 0);
  });

  test('--dialect, --fault-rate, --unknown-types and --idle-timeout reach the server', { timeout: 20_000 }, async () => {
    const controller = new AbortController();
    const out = capture({}, controller.signal);
    const exit = runDemo(['--port', '0', '--dialect', 'nkcollab-2017', '--fault-rate', '0.5', '--unknown-types', '--idle-timeout', '1', '--rate', '500'], out.io);
    try {
      const [url] = await waitForOutput(out, /ws:\/\/127\.0\.0\.1:\d+/);
      assert.match(out.stdout, /dialect: nkcollab-2017 \(NkMEDIA develop 2017 \+ nkcollab\)/);
      assert.match(out.stdout, /faults 0\.5, with event types no era has, idle timeout 1 s/);
      assert.match(out.stdout, /ping every 60 s/, 'develop pings every 60 s by default');
      const client = await TestClient.connect(url);
      try {
        const login = await client.login('anyone', 'admin');
        assert.equal(login.result, 'ok');
        assert.ok(!client.frames.some((f) => f.ack !== undefined), 'develop: no login ack');
        await client.subscribe({ class: 'collab' });
        await client.waitFor((f) => f.class === 'event', 'a develop event message');
      } finally {
        await client.close();
      }
      const idle = await TestClient.connect(url);
      assert.equal((await idle.waitForClose()).reason, 'idle timeout');
    } finally {
      controller.abort();
      assert.equal(await exit, 0);
    }
  });

  test('an already aborted signal starts and stops at once', async () => {
    const controller = new AbortController();
    controller.abort();
    const out = capture({}, controller.signal);
    assert.equal(await runDemo(['--port', '0'], out.io), 0);
    assert.match(out.stdout, /stopping/);
  });
});
