// The extension-tests entry point ("extensionTestsPath"): VS Code loads this module inside the
// extension host and awaits run(). It runs every compiled *.test.js next to it with mocha
// (tdd ui: suite/test/suiteSetup/...), in path order. Adding a test = adding
// test/integration/<name>.test.ts.
//
// Environment (set by scripts/realVscode/integration.js):
//   NKM_TEST_GREP     only tests whose full title contains this text
//   NKM_TEST_RESULTS  where to write {passed, failed, pending, planned, failures} as JSON
// The counts come from the runner's events; `planned` is what mocha meant to run (after the
// grep), so that tests that never reported (a crash mid-run) show as not run.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  // Map stack traces to test/integration/*.ts where the host lets Node do it (VS Code desktop
  // and code-server install their own Error.prepareStackTrace, so there they show out/ lines).
  process.setSourceMapsEnabled(true);
  const mocha = new Mocha({
    ui: 'tdd',
    reporter: 'spec',
    color: false,
    timeout: 30_000,
    slow: 5_000,
  });
  const grep = process.env.NKM_TEST_GREP;
  if (grep) mocha.grep(grep);
  const files = fs
    .readdirSync(__dirname, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const file of files) mocha.addFile(path.join(__dirname, file));

  const results = { passed: 0, failed: 0, pending: 0, planned: 0, failures: [] as { title: string; error: string }[] };
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const out = process.env.NKM_TEST_RESULTS;
      if (out) {
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.writeFileSync(out, JSON.stringify(results, null, 2));
      }
      const reported = results.passed + results.failed + results.pending;
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else if (reported < results.planned) reject(new Error(`${results.planned - reported} of ${results.planned} integration test(s) never reported`));
      else if (results.passed === 0) reject(new Error('no integration test ran'));
      else resolve();
    });
    results.planned = runner.total;
    runner.on('pass', () => results.passed++);
    runner.on('pending', () => results.pending++);
    runner.on('fail', (test, error: unknown) => {
      results.failed++;
      results.failures.push({ title: test.fullTitle(), error: error instanceof Error ? error.message : String(error) });
    });
  });
}
