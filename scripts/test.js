// `npm test`: every check of the project, in order, stopping at the first failure.
//
//   node scripts/test.js                 typecheck, unit, build, setup, webview, integration, package, e2e
//   node scripts/test.js unit [filter]   the unit tests only (scripts/unit.js bundles them itself)
//   node scripts/test.js webview [name]  the webview pages in Chromium (test/webview/run.mjs)
//   node scripts/test.js integration [--grep text]   build + the suite inside a real VS Code
//   node scripts/test.js e2e [--grep text]           package + the UI run in headless Chromium
//
// integration and e2e run VS Code 1.139 as code-server (installed on first use into
// .cache/real-vscode by scripts/setup-real-vscode.sh: a few minutes once, then instant) and
// Debian's Chromium. NKM_TEST_ELECTRON=1 runs the integration suite in VS Code desktop through
// @vscode/test-electron instead (needs internet access and a display).
//
// Prints one timing line per step and, last, "N passed, N failed" counting tests (node:test and
// mocha results; a step without tests that fails, such as typecheck, counts as one failure).
// Exit code 0 only when everything passed.
const fs = require('fs');
const path = require('path');
const { spawn } = require('child_process');

const root = path.join(__dirname, '..');
const resultsDir = path.join(root, 'out', 'test-results');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const node = process.execPath;

const steps = {
  typecheck: { title: 'typecheck', cmd: [npm, 'run', '--silent', 'typecheck'] },
  unit: { title: 'unit tests (node:test)', cmd: [node, 'scripts/unit.js'], passArgs: true, unit: true },
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
  unit: ['unit'],
  webview: ['setup', 'webview'],
  integration: electron ? ['build', 'integration'] : ['setup', 'build', 'integration'],
  e2e: ['setup', 'package', 'e2e'],
};

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)}s`;
}

/** Runs a command with inherited output; resolves with its exit code. `capture` also collects stdout. */
function run(cmd, { capture = false, env = {} } = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd[0], cmd.slice(1), {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    });
    let output = '';
    if (capture) {
      child.stdout.on('data', (chunk) => {
        output += chunk;
        process.stdout.write(chunk);
      });
    }
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    child.on('error', (error) => {
      console.error(`cannot run ${cmd.join(' ')}: ${error.message}`);
      resolve({ code: 127, output });
    });
    child.on('exit', (code, signal) => {
      process.off('SIGINT', forward);
      process.off('SIGTERM', forward);
      resolve({ code: code ?? (signal ? 128 : 1), output });
    });
  });
}

// node's test runner, spec reporter: "ℹ pass 12" / "ℹ fail 0" (TAP: "# pass 12").
function unitCounts(output) {
  // eslint-disable-next-line no-control-regex
  const text = output.replace(/\x1b\[[0-9;]*m/g, '');
  const count = (word) => {
    const matches = [...text.matchAll(new RegExp(`^[ℹ#]\\s+${word}\\s+(\\d+)\\s*$`, 'gm'))];
    return matches.length ? Number(matches[matches.length - 1][1]) : undefined;
  };
  const passed = count('pass');
  const failed = count('fail');
  const cancelled = count('cancelled') ?? 0;
  if (passed === undefined || failed === undefined) return undefined;
  return { passed, failed: failed + cancelled };
}

/** Reads and deletes a stage's results file. */
function readResults(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  } finally {
    fs.rmSync(file, { force: true });
  }
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
  let passed = 0;
  let failed = 0;
  let failure;

  for (const name of plans[plan]) {
    const step = steps[name];
    console.log(`\n━━ ${step.title} ━━`);
    const resultsFile = step.results && path.join(resultsDir, `${step.results}-${process.pid}.json`);
    const t0 = Date.now();
    const cmd = step.passArgs ? [...step.cmd, ...stageArgs] : step.cmd;
    // Force the spec reporter on node:test (it picks TAP when its output is not a terminal).
    const env = { NKM_SETUP_DONE: plans[plan].includes('setup') ? '1' : '', NKM_STAGE_RESULTS: resultsFile || '' };
    if (step.unit) {
      env.NODE_OPTIONS = `${process.env.NODE_OPTIONS || ''} --test-reporter=spec`.trim();
      if (process.stdout.isTTY) env.FORCE_COLOR = '1';
    }
    const { code, output } = await run(cmd, { capture: Boolean(step.unit), env });
    const took = Date.now() - t0;

    let counts;
    if (step.unit) counts = unitCounts(output);
    else if (resultsFile) counts = readResults(resultsFile);
    const ok = code === 0 && (!counts || counts.failed === 0);
    if (counts) {
      passed += counts.passed;
      failed += counts.failed;
    }
    if (!ok && (!counts || counts.failed === 0)) failed += 1; // failed outside a test
    const detail = counts ? ` (${counts.passed} passed, ${counts.failed} failed)` : '';
    const line = `${ok ? '✔' : '✖'} ${name.padEnd(11)} ${ok ? 'passed' : `FAILED (exit ${code})`} in ${seconds(took)}${detail}`;
    lines.push(line);
    console.log(`\n${line}`);
    if (!ok) {
      failure = name;
      break;
    }
  }

  console.log(`\n━━ summary (${seconds(Date.now() - started)}) ━━`);
  for (const line of lines) console.log(line);
  if (failure) {
    const hints = {
      integration: electron ? 'see the output above' : 'logs: out/logs/integration-code-server.log, out/logs/integration-browser.log',
      e2e: 'screenshots: out/screenshots/; logs: out/logs/e2e-code-server.log, out/logs/e2e-browser.log',
      setup: 'the setup script needs root (apt-get) or chromium + libkrb5-dev installed, and npm registry access',
    };
    console.log(`stopped at the first failure: ${failure}${hints[failure] ? ` (${hints[failure]})` : ''}`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failure || failed > 0 ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
