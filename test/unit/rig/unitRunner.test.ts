// The unit runner itself (scripts/unit.js) on test files that misbehave on purpose
// (test/rigFixtures/unit): a hang, a broken assertion, a process.exit(0) mid-file, a file
// without tests. Its counts must be the truth, and a stuck test must cost its timeout, not
// the run.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = process.cwd(); // scripts/unit.js runs the tests from the repository root
const FIXTURES = path.join('test', 'rigFixtures', 'unit');

interface Run {
  code: number | null;
  output: string;
  counts: { passed: number; failed: number; skipped: number; todo: number; notRun: number } | undefined;
  ms: number;
}

/** scripts/unit.js over the fixtures, with a 1 s default test timeout. */
async function runUnit(args: string[]): Promise<Run> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nkm-rig-'));
  const results = path.join(dir, 'counts.json');
  const started = Date.now();
  // Not a child of this runner: NODE_TEST_CONTEXT would make node:test in it talk to us.
  const env: NodeJS.ProcessEnv = { ...process.env, NKM_UNIT_TEST_ROOT: FIXTURES, NKM_TEST_TIMEOUT_MS: '1000', NKM_STAGE_RESULTS: results };
  delete env.NODE_TEST_CONTEXT;
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts', 'unit.js'), ...args], { cwd: ROOT, env });
  try {
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    const counts = fs.existsSync(results) ? JSON.parse(fs.readFileSync(results, 'utf8')) : undefined;
    return { code, output, counts, ms: Date.now() - started };
  } finally {
    child.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('scripts/unit.js: honest counts', { timeout: 60_000 }, () => {
  test('a hang, a broken assertion, an early exit and an empty file are failures, named; skipped and todo are counted', async () => {
    const run = await runUnit([]);
    assert.equal(run.code, 1, run.output);
    // passed: "reports before the exit", "passes after a timed-out neighbour", the 1.5 s test
    // under its suite's 5 s timeout. failed: the hang, the assertion, two never-reported tests
    // of exitsMidRun, and the two files that reported nothing.
    assert.deepEqual(run.counts, { passed: 3, failed: 6, skipped: 1, todo: 1, notRun: 0 }, run.output);
    const lines = run.output.split('\n');
    const named = (text: string) => assert.ok(lines.some((l) => l.startsWith('✖') && l.includes(text)), `no failure line names ${text}:\n${run.output}`);
    named('mixed.test.ts › outcomes › breaks an assertion');
    named('mixed.test.ts › outcomes › waits forever on an open timer');
    named('exitsMidRun.test.ts: 2 declared test(s) never reported');
    named('exitsAtOnce.test.ts › (the whole file)');
    named('empty.test.ts › (the whole file)');
    assert.match(run.output, /test timed out after 1000ms/);
    assert.match(run.output, /unit: 9 tests ran: 3 passed, 6 failed \(2 never reported\); 1 skipped, 1 todo/);
    // The timed-out test's open timer does not keep its file's process (5 min watchdog) alive.
    assert.ok(run.ms < 30_000, `the run took ${run.ms} ms`);
  });

  test('--test-name-pattern runs one test alone; the others are not selected, not skipped', async () => {
    const run = await runUnit(['mixed.test.ts', '--test-name-pattern', 'passes after']);
    assert.equal(run.code, 0, run.output);
    assert.deepEqual(run.counts, { passed: 1, failed: 0, skipped: 0, todo: 0, notRun: 0 }, run.output);
    assert.match(run.output, /not selected by --test-name-pattern/);
  });

  test('a run in which no test ran fails', async () => {
    const run = await runUnit(['mixed.test.ts', '--test-name-pattern', 'no test has this name']);
    assert.equal(run.code, 1, run.output);
    assert.match(run.output, /no unit test ran/);
  });
});
