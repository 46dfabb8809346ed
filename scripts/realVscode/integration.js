// Runs the mocha suite of test/integration inside a real VS Code extension host.
//
//   node scripts/realVscode/integration.js [--grep <text>]
//
// Default: code-server 1.139 (see scripts/setup-real-vscode.sh) + headless Chromium. The
// workbench is opened with the payload URL that @vscode/test-web uses:
//   ?payload=[["extensionDevelopmentPath", <repo>], ["extensionTestsPath", out/integration/index.js]]
// (code-server honours it when started with `--vscode-option enable-smoke-test-driver`); the
// suite's run() result comes back through window.codeAutomationExit.
//
// NKM_TEST_ELECTRON=1: the same suite under @vscode/test-electron (downloads VS Code into
// .cache/vscode-test: needs internet access, and a display, e.g. `xvfb-run -a`).
//
// Expects a built extension (dist/extension.js: `npm run build`). Writes
// its counts (scripts/realVscode/env.js writeResults) and logs into out/logs/.
const fs = require('fs');
const path = require('path');
const util = require('util');
const { paths, ensureInstalled, createSandbox, writeUserSettings, writeResults } = require('./env');
const { freePort, startCodeServer } = require('./codeServer');
const { launchChromium } = require('./chromium');
const { compileIntegration } = require('./compile');
const { runMain, onCleanup, seconds, parseGrepArgs } = require('./lifecycle');

const TIMEOUT_MS = Number(process.env.NKM_TEST_TIMEOUT_MS || 300000);

// Workbench/extension-host chatter that says nothing about our tests (offline machine, no chat).
const NOISE = new RegExp(
  [
    'open-vsx\\.org', 'github.*authentication', 'ChatModelSelection', 'AgentHost', 'AccountPolicyGate', 'connection token',
    'ERR_INTERNET_DISCONNECTED', 'marketplace', 'vscode-unpkg', 'Extension Gallery', '^Creating a socket', '^\\[reconnection-grace-time\\]',
    '^Updating additional builtin extensions cache', 'Ignoring fetching additional builtin extensions', '^\\[Service Worker\\]', 'onWillSaveTextDocument-event', '^Creation of workbench contribution',
  ].join('|'),
  'i',
);

async function runInCodeServer(index, extensionEnv) {
  if (process.env.NKM_SETUP_DONE !== '1') ensureInstalled();
  const sandbox = createSandbox('integration');
  onCleanup(() => sandbox.dispose());
  writeUserSettings(sandbox);

  const started = Date.now();
  const port = await freePort();
  const server = await startCodeServer(sandbox, {
    port,
    smokeTestDriver: true,
    logFile: path.join(paths.logs, 'integration-code-server.log'),
  });
  onCleanup(() => server.stop());
  console.log(`code-server (VS Code 1.139) on ${server.url}, pid ${server.pid}, up in ${seconds(Date.now() - started)}`);

  const browser = await launchChromium(sandbox, { consoleLog: path.join(paths.logs, 'integration-browser.log') });
  onCleanup(() => browser.close());
  const { page } = browser;

  let exit;
  const exited = new Promise((resolve) => (exit = resolve));
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = util.format(...(Array.isArray(args) ? args : [args]));
    if (NOISE.test(text)) return;
    const out = type === 'error' ? process.stderr : process.stdout;
    out.write(text.endsWith('\n') ? text : text + '\n');
  });
  await page.exposeFunction('codeAutomationExit', (code) => exit(code));

  const payload = [
    ['extensionDevelopmentPath', server.remoteUri(paths.root)],
    ['extensionTestsPath', server.remoteUri(index)],
    ['extensionEnvironment', JSON.stringify(extensionEnv)],
  ];
  await page.goto(server.workbenchUrl(payload));

  let timer;
  const timeout = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), TIMEOUT_MS)));
  const serverDied = new Promise((resolve) => {
    const poll = setInterval(() => {
      if (server.exited() !== undefined) {
        clearInterval(poll);
        resolve('code-server exited');
      }
    }, 500);
    onCleanup(() => clearInterval(poll));
  });
  const code = await Promise.race([exited, timeout, serverDied]);
  clearTimeout(timer);
  console.log(`suite finished ${seconds(Date.now() - started)} after code-server started`);
  if (typeof code !== 'number') {
    console.error(`integration suite did not finish: ${code} (after ${seconds(Date.now() - started)}); see out/logs/integration-*.log`);
    return 1;
  }
  return code;
}

async function runInElectron(index, extensionEnv) {
  const { runTests } = require('@vscode/test-electron');
  const sandbox = createSandbox('integration-electron');
  onCleanup(() => sandbox.dispose());
  writeUserSettings(sandbox);
  const launchArgs = [
    sandbox.workspace,
    '--disable-extensions',
    '--disable-workspace-trust',
    '--skip-welcome',
    '--skip-release-notes',
    '--disable-gpu',
    `--user-data-dir=${sandbox.userData}`,
    `--extensions-dir=${sandbox.extensions}`,
  ];
  if (process.getuid && process.getuid() === 0) launchArgs.push('--no-sandbox');
  try {
    return await runTests({
      version: process.env.NKM_VSCODE_VERSION || 'stable',
      cachePath: path.join(paths.root, '.cache', 'vscode-test'),
      extensionDevelopmentPath: paths.root,
      extensionTestsPath: index,
      extensionTestsEnv: { ...sandbox.env, PATH: process.env.PATH, ...extensionEnv },
      launchArgs,
    });
  } catch (error) {
    console.error(`@vscode/test-electron: ${error && error.message}`);
    return typeof error?.code === 'number' && error.code !== 0 ? error.code : 1;
  }
}

async function main() {
  const options = parseGrepArgs(process.argv.slice(2));
  if (!fs.existsSync(path.join(paths.root, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js is missing: run `npm run build` first (or `npm run test:integration`)');
  }
  const { index } = await compileIntegration();
  const resultsFile = path.join(paths.results, `integration-mocha-${process.pid}.json`);
  fs.rmSync(resultsFile, { force: true });
  onCleanup(() => fs.rmSync(resultsFile, { force: true }));
  const extensionEnv = { NKM_TEST_RESULTS: resultsFile };
  if (options.grep) extensionEnv.NKM_TEST_GREP = options.grep;

  const electron = process.env.NKM_TEST_ELECTRON === '1';
  console.log(`integration suite in ${electron ? 'VS Code desktop (@vscode/test-electron)' : 'code-server + headless Chromium'}${options.grep ? `, grep "${options.grep}"` : ''}`);
  const code = electron ? await runInElectron(index, extensionEnv) : await runInCodeServer(index, extensionEnv);

  let counts = { passed: 0, failed: 0, pending: 0, planned: 0 };
  try {
    counts = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  } catch {
    console.error(`the suite wrote no results: it did not run${electron ? '' : ' (see out/logs/integration-*.log)'}`);
  }
  if (code !== 0 && counts.failed === 0) counts.failed = 1; // crashed outside a test
  const notRun = Math.max(0, counts.planned - counts.passed - counts.failed - counts.pending);
  writeResults('integration', { passed: counts.passed, failed: counts.failed, skipped: counts.pending, notRun });
  console.log(`integration: exit code ${code}, ${counts.passed} passed, ${counts.failed} failed, ${counts.pending} skipped${notRun ? `, ${notRun} never reported` : ''}`);
  for (const f of counts.failures ?? []) console.log(`✖ ${f.title}\n    ${f.error.split('\n')[0]}`);
  if (code === 0 && counts.passed === 0) {
    console.error('no integration test ran');
    return 1;
  }
  return code === 0 ? 0 : 1;
}

runMain(main);
