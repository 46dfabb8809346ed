// Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core. Never run
// `playwright install`: it downloads a browser, which these machines cannot.
const fs = require('fs');
const path = require('path');
const { paths } = require('./env');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox', // CI runs as root
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Launches Chromium with a fresh profile inside the sandbox; resolves with { context, page,
 * close() }. Console messages and page errors of the workbench go to `consoleLog` (a file).
 */
async function launchChromium(sandbox, { viewport = { width: 1400, height: 900 }, consoleLog } = {}) {
  const { chromium } = require('playwright-core');
  const profile = sandbox.chromiumProfile;
  fs.rmSync(profile, { recursive: true, force: true });
  fs.mkdirSync(profile, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: paths.chromium,
    headless: true,
    viewport,
    args: CHROMIUM_ARGS,
    env: { ...process.env, ...sandbox.env },
    handleSIGINT: false, // the runner stops code-server and Chromium itself
    handleSIGTERM: false,
  });
  const page = context.pages()[0] || (await context.newPage());
  let lines;
  if (consoleLog) {
    fs.mkdirSync(path.dirname(consoleLog), { recursive: true });
    lines = fs.createWriteStream(consoleLog);
    page.on('console', (m) => lines.write(`[${m.type()}] ${m.text()}\n`));
    page.on('pageerror', (e) => lines.write(`[pageerror] ${e.message}\n`));
  }
  return {
    context,
    page,
    async close() {
      await context.close().catch(() => {});
      lines?.end();
    },
  };
}

module.exports = { launchChromium, CHROMIUM_ARGS };
