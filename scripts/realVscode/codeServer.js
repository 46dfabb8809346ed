// Starting and stopping code-server (VS Code 1.139 as a server, from npm) in a sandbox.
// code-server forks several Node children (extension host, file watcher, pty host): it runs in
// its own process group and is stopped by signalling the whole group.
const fs = require('fs');
const net = require('net');
const http = require('http');
const path = require('path');
const { spawn } = require('child_process');
const { paths } = require('./env');

/** A TCP port that was free a moment ago on 127.0.0.1. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** True when something accepts TCP connections on host:port. */
function isListening(port, host = '127.0.0.1') {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function codeServerArgs(sandbox, args) {
  return [paths.codeServerEntry, '--user-data-dir', sandbox.userData, '--extensions-dir', sandbox.extensions, ...args];
}

/** Runs code-server as a CLI (e.g. --install-extension) and resolves with its output. */
function codeServerCli(sandbox, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(paths.node24, codeServerArgs(sandbox, args), {
      env: { ...process.env, ...sandbox.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve(output);
      else reject(new Error(`code-server ${args.join(' ')} failed (${code ?? signal}):\n${output}`));
    });
  });
}

/** Installs a .vsix into the sandbox's extensions dir. */
async function installVsix(sandbox, vsix) {
  const output = await codeServerCli(sandbox, ['--install-extension', vsix, '--force']);
  if (!/successfully installed/i.test(output)) throw new Error(`installing ${vsix} did not report success:\n${output}`);
  return output;
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to a process group, SIGKILL after `graceMs`; resolves when the group is gone. */
async function killGroup(pgid, graceMs = 3000) {
  if (!pgid || !groupAlive(pgid)) return;
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + graceMs;
  while (groupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (groupAlive(pgid)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* already gone */
    }
    const hardDeadline = Date.now() + 2000;
    while (groupAlive(pgid) && Date.now() < hardDeadline) await new Promise((r) => setTimeout(r, 50));
  }
}

// Process groups still running when this process exits, whatever the reason.
const liveGroups = new Set();
process.on('exit', () => {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

function httpOk(url) {
  return new Promise((resolve) => {
    const req = http.get(url, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.setTimeout(2000, () => {
      req.destroy();
      resolve(false);
    });
  });
}

function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts code-server on host:port serving `folder` and waits until it answers /healthz.
 * `smokeTestDriver` enables the payload URL (extensionDevelopmentPath / extensionTestsPath)
 * and window.driver; `logFile` receives its output.
 * Returns { url, port, pid, folderUrl, logFile, stop() }.
 */
async function startCodeServer(sandbox, { port, host = '127.0.0.1', folder = sandbox.workspace, smokeTestDriver = false, logFile, timeoutMs = 60000 }) {
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  const configFile = path.join(sandbox.dir, 'code-server.yaml');
  fs.writeFileSync(configFile, `bind-addr: ${host}:${port}\nauth: none\ncert: false\n`);
  const args = [
    '--config', configFile,
    '--auth', 'none',
    '--bind-addr', `${host}:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    folder,
  ];
  const log = fs.openSync(logFile, 'w');
  const child = spawn(paths.node24, codeServerArgs(sandbox, args), {
    env: { ...process.env, ...sandbox.env },
    stdio: ['ignore', log, log],
    detached: true, // own session and process group: pgid === pid
  });
  fs.closeSync(log);
  const pgid = child.pid;
  liveGroups.add(pgid);
  let exited;
  child.on('exit', (code, signal) => (exited = code ?? signal));
  const stop = async () => {
    await killGroup(pgid);
    liveGroups.delete(pgid);
  };
  const url = `http://${host}:${port}`;
  const deadline = Date.now() + timeoutMs;
  while (!(await httpOk(`${url}/healthz`))) {
    if (exited !== undefined || Date.now() > deadline) {
      await stop();
      const why = exited !== undefined ? `exited (${exited})` : `did not answer within ${timeoutMs / 1000}s`;
      throw new Error(`code-server ${why}; last lines of ${logFile}:\n${tail(logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    port,
    pid: pgid,
    logFile,
    folder,
    /** The workbench URL for `folder`, with an optional payload (list of [key, value]). */
    workbenchUrl(payload) {
      let u = `${url}/?folder=${encodeURIComponent(folder)}`;
      if (payload) u += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
      return u;
    },
    /** A path on this machine as the workbench sees it (the remote authority is the page's host). */
    remoteUri(absPath) {
      return `vscode-remote://${host}:${port}${absPath.split(path.sep).join('/')}`;
    },
    exited: () => exited,
    stop,
  };
}

module.exports = { freePort, isListening, installVsix, codeServerCli, startCodeServer, killGroup, tail };
