// End-to-end: the packaged extension in a real VS Code, driven like a user in headless Chromium.
//
//   node scripts/realVscode/e2e.js [--grep <text>]
//
// Expects dist/nkmedia-inspector.vsix (`npm run package`). Installs it into a fresh
// code-server extensions dir, writes quiet user settings plus test/e2e/settings.json, starts
// code-server on a free port, opens the workbench in Chromium, then runs test/e2e/*.test.ts
// (compiled to out/e2e, mocha bdd: describe/it, in file-name order, stopping at the first
// failure since the steps build on each other). Tests get the page through
// `workbench()` from test/e2e/workbench.ts.
//
// Output: screenshots in out/screenshots/, logs in out/logs/e2e-*.log,
// its counts (scripts/realVscode/env.js writeResults; steps after a failure count as not run).
const fs = require('fs');
const path = require('path');
const { paths, ensureInstalled, createSandbox, writeUserSettings, writeResults } = require('./env');
const { freePort, startCodeServer, installVsix } = require('./codeServer');
const { launchChromium } = require('./chromium');
const { compileE2e } = require('./compile');
const { runMain, onCleanup, seconds, parseGrepArgs } = require('./lifecycle');

const VSIX = path.join(paths.root, 'dist', 'nkmedia-inspector.vsix');

function readJson(file) {
  return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
}

async function main() {
  const options = parseGrepArgs(process.argv.slice(2));
  if (!fs.existsSync(VSIX)) throw new Error('dist/nkmedia-inspector.vsix is missing: run `npm run package` first (or `npm run test:e2e`)');
  const started = Date.now();
  const { tests } = await compileE2e();
  if (tests.length === 0) throw new Error('no test/e2e/*.test.ts');
  fs.rmSync(paths.screenshots, { recursive: true, force: true });
  fs.mkdirSync(paths.screenshots, { recursive: true });

  if (process.env.NKM_SETUP_DONE !== '1') ensureInstalled();
  const sandbox = createSandbox('e2e');
  onCleanup(() => sandbox.dispose());
  // Temporary files of the tests themselves (os.tmpdir()) and of playwright go to the sandbox.
  for (const key of ['TMPDIR', 'TMP', 'TEMP']) process.env[key] = sandbox.env[key];
  await installVsix(sandbox, VSIX);
  writeUserSettings(sandbox, readJson(path.join(paths.root, 'test', 'e2e', 'settings.json')));

  const port = await freePort();
  const server = await startCodeServer(sandbox, {
    port,
    smokeTestDriver: true, // window.driver.whenWorkbenchRestored(): a reliable "ready" signal
    logFile: path.join(paths.logs, 'e2e-code-server.log'),
  });
  onCleanup(() => server.stop());
  console.log(`code-server (VS Code 1.139) on ${server.url}, pid ${server.pid}, extension installed from ${path.relative(paths.root, VSIX)}`);

  const browser = await launchChromium(sandbox, { consoleLog: path.join(paths.logs, 'e2e-browser.log') });
  onCleanup(() => browser.close());

  const { Workbench, setWorkbench } = require(path.join(paths.out, 'e2e', 'workbench.js'));
  const wb = new Workbench(browser.page, { url: server.workbenchUrl(), screenshotDir: paths.screenshots });
  setWorkbench(wb);
  try {
    await wb.open();
  } catch (error) {
    await wb.screenshot('workbench-did-not-open').catch(() => {});
    throw error;
  }
  console.log(`workbench ready after ${seconds(Date.now() - started)}`);

  process.setSourceMapsEnabled(true); // failures point into test/e2e/*.ts
  const Mocha = require('mocha');
  const mocha = new Mocha({
    ui: 'bdd',
    reporter: 'spec',
    color: Boolean(process.stdout.isTTY),
    timeout: 60_000,
    slow: 10_000,
    bail: true,
  });
  if (options.grep) mocha.grep(options.grep);
  mocha.rootHooks({
    async afterEach() {
      const test = this.currentTest;
      if (test && test.state === 'failed') {
        const file = await wb.screenshot(`FAILED-${test.title}`).catch(() => undefined);
        if (file) console.log(`      screenshot: ${path.relative(paths.root, file)}`);
      }
    },
  });
  for (const file of tests) mocha.addFile(file);
  // Counted from the runner's events; `planned` is what mocha meant to run after the grep.
  const counts = { passed: 0, failed: 0, pending: 0, planned: 0 };
  const failed = [];
  const failures = await new Promise((resolve) => {
    const runner = mocha.run(resolve);
    counts.planned = runner.total;
    runner.on('pass', () => counts.passed++);
    runner.on('fail', (test) => {
      counts.failed++;
      failed.push(test.fullTitle());
    });
    runner.on('pending', () => counts.pending++);
  });
  const notRun = Math.max(0, counts.planned - counts.passed - counts.failed - counts.pending);
  writeResults('e2e', { passed: counts.passed, failed: counts.failed, skipped: counts.pending, notRun });
  const shots = fs.readdirSync(paths.screenshots).filter((f) => f.endsWith('.png'));
  console.log(`e2e: ${counts.passed} passed, ${counts.failed} failed, ${counts.pending} skipped${notRun ? `, ${notRun} not run (the run stops at the first failure)` : ''}; ${shots.length} screenshots in out/screenshots/`);
  for (const title of failed) console.log(`✖ ${title}`);
  if (failures === 0 && notRun > 0) {
    console.error(`${notRun} e2e test(s) never reported`);
    return 1;
  }
  if (failures === 0 && counts.passed === 0) {
    console.error('no e2e test ran');
    return 1;
  }
  return failures === 0 ? 0 : 1;
}

runMain(main);
