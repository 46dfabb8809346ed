// `npm start`: the product running on the embedded simulator, with nothing to type.
//
//   node scripts/start.js [--port 8080] [--dev] [--code-server] [--no-build]
//
// Opens a workspace (.cache/run/start/workspace) whose settings say
// `"nkmedia.demo.startOnActivation": true`: on startup the extension starts the demo server,
// connects to it and reveals the NkMEDIA view.
//
// - VS Code desktop, when `code` is on PATH (and --code-server is not given): builds, then
//   opens an Extension Development Host window on that workspace
//   (`code --extensionDevelopmentPath=<repo>`), as F5 would. `npm run watch` + "Developer:
//   Reload Window" picks up changes.
// - code-server otherwise (e.g. on a server or in a container): installs code-server on first use
//   (scripts/setup-real-vscode.sh), packages the extension (`npm run package`) and installs the
//   VSIX, i.e. exactly what users get, then serves VS Code on http://127.0.0.1:<port> (no
//   password: loopback only; forward the port, e.g. `ssh -L 8080:127.0.0.1:8080 host`).
//   --dev loads the extension from the repository instead (extension development mode through
//   the workbench URL's payload, which needs code-server's smoke-test driver): `npm run watch`
//   + "Developer: Reload Window" then picks up changes.
//   Stays in the foreground; Ctrl+C stops code-server and everything it started.
const fs = require('fs');
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const { paths, ensureInstalled, createSandbox, writeUserSettings, writeJson } = require('./realVscode/env');
const { startCodeServer, installVsix, isListening } = require('./realVscode/codeServer');
const { runMain, onCleanup, seconds } = require('./realVscode/lifecycle');

const WORKSPACE_SETTINGS = {
  'nkmedia.demo.startOnActivation': true,
};

function parseArgs(argv) {
  const options = { port: Number(process.env.PORT) || 8080, dev: false, codeServer: false, build: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--port' || arg === '-p') options.port = Number(argv[++i]);
    else if (arg.startsWith('--port=')) options.port = Number(arg.slice(7));
    else if (arg === '--dev') options.dev = true;
    else if (arg === '--code-server') options.codeServer = true;
    else if (arg === '--no-build') options.build = false;
    else if (arg === '--help' || arg === '-h') {
      console.log(fs.readFileSync(__filename, 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n'));
      process.exit(0);
    } else {
      console.error(`unknown argument ${arg}; see node scripts/start.js --help`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
    console.error('--port needs a TCP port number');
    process.exit(2);
  }
  return options;
}

function npm(...args) {
  const result = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { cwd: paths.root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed`);
}

function onPath(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function prepareWorkspace(dir) {
  fs.mkdirSync(dir, { recursive: true });
  writeJson(path.join(dir, '.vscode', 'settings.json'), WORKSPACE_SETTINGS);
  const readme = path.join(dir, 'README.md');
  if (!fs.existsSync(readme)) {
    fs.writeFileSync(
      readme,
      '# NkMEDIA Inspector playground\n\nOpened by `npm start`. `.vscode/settings.json` sets `nkmedia.demo.startOnActivation`,\nso the NkMEDIA view opens on live traffic from the embedded demo server.\n',
    );
  }
  return dir;
}

async function startDesktop(options) {
  if (options.build) npm('run', '--silent', 'build');
  const workspace = prepareWorkspace(path.join(paths.runs, 'start', 'workspace'));
  console.log(`opening VS Code: Extension Development Host on ${path.relative(paths.root, workspace)}`);
  const child = spawn('code', ['--new-window', `--extensionDevelopmentPath=${paths.root}`, workspace], { stdio: 'inherit' });
  const code = await new Promise((resolve) => {
    child.on('error', (e) => {
      console.error(`cannot run code: ${e.message}`);
      resolve(1);
    });
    child.on('exit', (c) => resolve(c ?? 1));
  });
  if (code === 0) console.log('VS Code is open: the NkMEDIA view shows the demo server\'s traffic. It runs until you close that window.');
  return code;
}

async function startCodeServerMode(options) {
  if (await isListening(options.port)) {
    throw new Error(`port ${options.port} is in use: choose another with --port <n> (npm start -- --port 8081)`);
  }
  ensureInstalled();
  const sandbox = createSandbox('start', { persistent: true });
  onCleanup(() => sandbox.dispose());
  const workspace = prepareWorkspace(sandbox.workspace);
  writeUserSettings(sandbox);

  let payload;
  if (options.dev) {
    if (options.build) npm('run', '--silent', 'build');
    // A development extension must not also be installed from a VSIX.
    fs.rmSync(sandbox.extensions, { recursive: true, force: true });
    fs.mkdirSync(sandbox.extensions, { recursive: true });
    payload = true;
  } else {
    if (options.build) npm('run', '--silent', 'package');
    const vsix = path.join(paths.root, 'dist', 'nkmedia-inspector.vsix');
    await installVsix(sandbox, vsix);
    console.log(`installed ${path.relative(paths.root, vsix)}`);
  }

  const logFile = path.join(paths.logs, 'start-code-server.log');
  const started = Date.now();
  const server = await startCodeServer(sandbox, { port: options.port, folder: workspace, smokeTestDriver: options.dev, logFile });
  let stopping = false;
  onCleanup(async () => {
    stopping = true;
    console.log('stopping code-server...');
    await server.stop();
  });
  const url = server.workbenchUrl(payload ? [['extensionDevelopmentPath', server.remoteUri(paths.root)]] : undefined);
  console.log(`
  NkMEDIA Inspector in VS Code ${options.dev ? '(extension development mode) ' : ''}is ready (${seconds(Date.now() - started)}):

      ${url}

  Open it in a browser on this machine (from elsewhere: ssh -L ${options.port}:127.0.0.1:${options.port} <this host>).
  The NkMEDIA view opens on the demo server's traffic. Log: ${path.relative(paths.root, logFile)}
  Ctrl+C stops code-server.
`);
  const code = await new Promise((resolve) => {
    const poll = setInterval(() => {
      if (server.exited() !== undefined && !stopping) {
        clearInterval(poll);
        console.error(`code-server exited (${server.exited()}); see ${logFile}`);
        resolve(1);
      }
    }, 1000);
  });
  return code;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!options.codeServer && !options.dev && onPath('code')) return startDesktop(options);
  return startCodeServerMode(options);
}

runMain(main);
