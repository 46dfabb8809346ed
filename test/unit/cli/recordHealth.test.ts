// `record --health-every S` (#14 part 3): the recorder writes connection health samples into
// its trace (answer latency, the server's ping cadence, events), one more when it stops, and
// `stats` prints the connection's health from them. Against the real simulator, as a user runs it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runRecord } from '../../../src/cli/recordCommand';
import { NkMediaSimulator } from '../../../src/simulator';
import { formatTraceStats, readTraceStats } from '../../../src/trace/stats';

test('health samples every 0.5 s land in the trace, and stats reads the connection health back', { timeout: 30_000 }, async () => {
  const simulator = new NkMediaSimulator({ port: 0, seed: 3, rate: 300, pingSeconds: 1, password: 'h3alth-pw' });
  const { url } = await simulator.start();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nkm-record-health-'));
  try {
    const file = path.join(dir, 'health.nkmtrace');
    const err: string[] = [];
    const io = { stdout: () => undefined, stderr: (s: string) => void err.push(s), env: { PW: 'h3alth-pw' } as NodeJS.ProcessEnv };
    const code = await runRecord(['--url', url, '--password-env', 'PW', '--out', file, '--duration', '3', '--health-every', '0.5', '--quiet'], io);
    assert.equal(code, 0, err.join(''));
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    const samples = lines.filter((l) => l.line === 'health');
    assert.ok(samples.length >= 4, `about one sample per 0.5 s: ${samples.length}`);
    const events = lines.filter((l) => 'event' in l).length;
    assert.equal(samples.reduce((sum, s) => sum + s.events, 0), events, 'the samples count every event the file holds');
    assert.ok(samples.every((s) => s.windowMs > 0 && (s.answers === 0 || s.answerP99Us < 1_000_000)));
    const stats = await readTraceStats(file);
    assert.equal(stats.health.samples, samples.length);
    assert.ok(stats.health.pingIntervalMs !== undefined && Math.abs(stats.health.pingIntervalMs - 1000) < 300, `the server's 1 s pings: ${stats.health.pingIntervalMs}`);
    assert.match(formatTraceStats(stats), /^health \(\d+ samples over \d+ s\): answers p99 .* · pings every 1\.\d s · /m);

    const none = path.join(dir, 'none.nkmtrace');
    assert.equal(await runRecord(['--url', url, '--password-env', 'PW', '--out', none, '--duration', '1', '--health-every', '0', '--quiet'], io), 0);
    assert.equal(fs.readFileSync(none, 'utf8').includes('"line":"health"'), false, '--health-every 0 writes none');
    const bad: string[] = [];
    assert.equal(await runRecord(['--url', url, '--password-env', 'PW', '--out', path.join(dir, 'x.nkmtrace'), '--health-every', 'often'], { ...io, stderr: (s: string) => void bad.push(s) }), 2);
    assert.match(bad.join(''), /--health-every must be a number of seconds, 0 for none \(got often\)/);
  } finally {
    await simulator.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
