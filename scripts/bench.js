// `npm run bench`: runs the benchmark parts in bench/*.bench.ts, each in its own Node process
// (so one part's memory does not skew another's), and prints their figures.
//   npm run bench                 every part, human-readable
//   npm run bench -- ingest       only the parts named
//   npm run bench -- --json       the same, plus every figure as one JSON object on the last line
// A part is a module whose default export is `async () => ({ figures, report })`: `figures`
// is its JSON object, `report` lines for people. Each part measures its own baseline in the
// same run and reports ratios, because these machines are noisy.
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.join(__dirname, '..');
const benchDir = path.join(root, 'bench');
const outDir = path.join(root, 'out', 'bench');

async function main() {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const wanted = args.filter((a) => !a.startsWith('-'));
  const parts = fs
    .readdirSync(benchDir)
    .filter((f) => f.endsWith('.bench.ts'))
    .map((f) => f.replace(/\.bench\.ts$/, ''))
    .filter((name) => wanted.length === 0 || wanted.includes(name));
  if (parts.length === 0) throw new Error(`no benchmark part matches ${wanted.join(', ')}`);
  // The timeline part draws in headless Chromium: on a fresh machine nothing installed it yet,
  // so do what `npm test` does (the same setup script; idempotent, instant once done).
  if (parts.includes('timeline') && !fs.existsSync(chromiumPath())) {
    console.log(`Chromium is not at ${chromiumPath()}: running scripts/setup-real-vscode.sh first (as npm test does)`);
    const setup = spawnSync('bash', [path.join(root, 'scripts', 'setup-real-vscode.sh')], { cwd: root, stdio: 'inherit' });
    if (setup.status !== 0 || !fs.existsSync(chromiumPath())) {
      throw new Error(`the timeline benchmark needs Chromium at ${chromiumPath()}: the setup failed (it needs root for apt-get, or set NKM_CHROMIUM to a Chromium)`);
    }
  }
  fs.rmSync(outDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: parts.map((p) => path.join(benchDir, `${p}.bench.ts`)),
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  const all = {};
  let failed = false;
  for (const part of parts) {
    console.log(`\n== ${part}`);
    const runner = `require(${JSON.stringify(path.join(outDir, `${part}.bench.js`))}).default().then((r) => { for (const l of r.report) console.log(l); console.log('@@FIGURES ' + JSON.stringify(r.figures)); process.exit(0); }, (e) => { console.error(e); process.exit(1); })`;
    const result = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', '-e', runner], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      maxBuffer: 64 * 1024 * 1024,
    });
    const lines = (result.stdout || '').split('\n');
    for (const line of lines) if (line && !line.startsWith('@@FIGURES ')) console.log(line);
    const figures = lines.find((l) => l.startsWith('@@FIGURES '));
    if (result.status !== 0 || !figures) {
      console.log(`${part}: FAILED (exit ${result.status})`);
      failed = true;
      continue;
    }
    all[part] = JSON.parse(figures.slice('@@FIGURES '.length));
  }
  if (json) console.log(JSON.stringify(all));
  process.exit(failed ? 1 : 0);
}

function chromiumPath() {
  return require('./realVscode/env').paths.chromium;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
