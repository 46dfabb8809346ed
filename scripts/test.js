// `npm test`: every check of the project, in order, stopping at the first failure.
//
//   node scripts/test.js                 typecheck, unit, build, setup, webview, integration, package, e2e
//   node scripts/test.js unit [filter] [--test-name-pattern REGEX]   typecheck + the unit tests
//   node scripts/test.js webview [name]  typecheck + the webview pages in Chromium (test/webview/run.mjs)
//   node scripts/test.js integration [--grep text]   typecheck + build + the suite inside a real VS Code
//   node scripts/test.js e2e [--grep text]           typecheck + package + the UI run in headless Chromium
//
// Every plan starts with the typecheck: it is the only step that checks the test files' types
// (the test levels bundle them with esbuild, which does not).
//
// integration and e2e run VS Code 1.139 as code-server (installed on first use into
// .cache/real-vscode by scripts/setup-real-vscode.sh: a few minutes once, then instant) and
// Debian's Chromium. NKM_TEST_ELECTRON=1 runs the integration suite in VS Code desktop through
// @vscode/test-electron instead (needs internet access and a display).
//
// Each test level writes its counts ({passed, failed, skipped, todo, notRun}) to the file named
// by NKM_STAGE_RESULTS (scripts/realVscode/env.js writeResults), counted from its runner's
// events, not from its text output. Prints one line per step and, last, the number of tests
// that ran, the steps that failed and the test levels that did not run. Exit code 0 only when
// everything passed.
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');

const root = path.join(__dirname, '..');
const resultsDir = path.join(root, 'out', 'test-results');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const node = process.execPath;

const steps = {
  typecheck: { title: 'typecheck', cmd: [npm, 'run', '--silent', 'typecheck'] },
  unit: { title: 'unit tests (node:test)', cmd: [node, 'scripts/unit.js'], passArgs: true, results: 'unit' },
  build: { title: 'build (npm run build)', cmd: [npm, 'run', '--silent', 'build'] },
  setup: { title: 'real VS Code setup (scripts/setup-real-vscode.sh)', cmd: ['bash', 'scripts/setup-real-vscode.sh'] },
  integration: {
    title: process.env.NKM_TEST_ELECTRON === '1' ? 'integration tests (VS Code desktop)' : 'integration tests (code-server)',
    cmd: [node, 'scripts/realVscode/integration.js'],
    passArgs: true,
    results: 'integration',
  },
  webview: { title: 'webview tests (webview pages in Chromium)', cmd: [node, 'test/webview/run.mjs'], passArgs: true, results: 'webview' },
  package: { title: 'package (npm run package)', cmd: [npm, 'run', '--silent', 'package'] },
  e2e: { title: 'end-to-end (code-server + Chromium)', cmd: [node, 'scripts/realVscode/e2e.js'], passArgs: true, results: 'e2e' },
};

const electron = process.env.NKM_TEST_ELECTRON === '1';
const plans = {
  all: ['typecheck', 'unit', 'build', 'setup', 'webview', 'integration', 'package', 'e2e'],
  unit: ['typecheck', 'unit'],
  webview: ['typecheck', 'setup', 'webview'],
  integration: electron ? ['typecheck', 'build', 'integration'] : ['typecheck', 'setup', 'build', 'integration'],
  e2e: ['typecheck', 'setup', 'package', 'e2e'],
};
// The steps that run tests, in the order `npm test` runs them.
const LEVELS = ['unit', 'webview', 'integration', 'e2e'];

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** Runs a command with inherited output; resolves with its exit code. */
function run(cmd, { env = {} } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd[0], cmd.slice(1), {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (error) => {
      console.error(`cannot run ${cmd.join(' ')}: ${error.message}`);
      resolve(127);
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

/** Reads and deletes a stage's results file: {passed, failed, skipped, todo, notRun}, or undefined. */
function readResults(file) {
  try {
    const counts = JSON.parse(fs.readFileSync(file, 'utf8'));
    const n = (key) => (Number.isInteger(counts[key]) && counts[key] > 0 ? counts[key] : 0);
    return { passed: n('passed'), failed: n('failed'), skipped: n('skipped') + n('pending'), todo: n('todo'), notRun: n('notRun') };
  } catch {
    return undefined;
  } finally {
    fs.rmSync(file, { force: true });
  }
}

function describeCounts(c) {
  const notRun = c.notRun ? `, ${c.notRun} not run` : '';
  return `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped, ${c.todo} todo${notRun}`;
}

function usage() {
  console.error('usage: node scripts/test.js [unit|webview|integration|e2e] [arguments for that stage]');
  process.exit(2);
}

async function main() {
  const [first, ...rest] = process.argv.slice(2);
  const plan = first === undefined ? 'all' : first;
  if (!plans[plan]) usage();
  const stageArgs = plan === 'all' ? [] : rest;

  fs.mkdirSync(resultsDir, { recursive: true });
  const started = Date.now();
  const lines = [];
  const total = { passed: 0, failed: 0, skipped: 0, todo: 0, notRun: 0 };
  const levelsRun = [];
  const failedSteps = [];

  for (const name of plans[plan]) {
    const step = steps[name];
    console.log(`\n━━ ${step.title} ━━`);
    const resultsFile = step.results && path.join(resultsDir, `${step.results}-${process.pid}.json`);
    const t0 = Date.now();
    const cmd = step.passArgs ? [...step.cmd, ...stageArgs] : step.cmd;
    const env = { NKM_SETUP_DONE: plans[plan].includes('setup') ? '1' : '', NKM_STAGE_RESULTS: resultsFile || '' };
    if (resultsFile) fs.rmSync(resultsFile, { force: true });
    const code = await run(cmd, { env });
    const took = Date.now() - t0;

    const counts = resultsFile ? readResults(resultsFile) : undefined;
    if (resultsFile && counts) levelsRun.push(name);
    if (counts) for (const key of Object.keys(total)) total[key] += counts[key];
    // A test level must report counts and have run a test; any step must exit 0.
    const ok = code === 0 && (!resultsFile || (counts !== undefined && counts.failed === 0 && counts.passed > 0));
    if (!ok) failedSteps.push(name);
    const detail = counts ? ` (${describeCounts(counts)})` : resultsFile ? ' (it reported no counts)' : '';
    const line = `${ok ? '✔' : '✖'} ${name.padEnd(11)} ${ok ? 'passed' : `FAILED (exit ${code})`} in ${seconds(took)}${detail}`;
    lines.push(line);
    console.log(`\n${line}`);
    if (!ok) break;
  }

  console.log(`\n━━ summary (${seconds(Date.now() - started)}) ━━`);
  for (const line of lines) console.log(line);
  const failure = failedSteps[0];
  if (failure) {
    const hints = {
      integration: electron ? 'see the output above' : 'logs: out/logs/integration-code-server.log, out/logs/integration-browser.log',
      e2e: 'screenshots: out/screenshots/; logs: out/logs/e2e-code-server.log, out/logs/e2e-browser.log',
      setup: 'the setup script needs root (apt-get) or chromium + libkrb5-dev installed, and npm registry access',
    };
    console.log(`stopped at the first failure: ${failure}${hints[failure] ? ` (${hints[failure]})` : ''}`);
  }
  const notRun = LEVELS.filter((level) => !levelsRun.includes(level));
  const parts = [`${total.passed + total.failed} tests ran: ${describeCounts(total)}`];
  if (failedSteps.length) parts.push(`failed: ${failedSteps.join(', ')}`);
  parts.push(notRun.length ? `levels not run: ${notRun.join(', ')}` : 'every level ran');
  console.log(parts.join('; '));
  process.exit(failedSteps.length > 0 || total.failed > 0 ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
