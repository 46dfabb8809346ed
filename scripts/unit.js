// Runs the plain-Node unit tests: each test/unit/**/*.test.ts is bundled by esbuild into
// out/unit/ (type checking is a separate step, `npm run typecheck`), then node's own test
// runner runs them. Arguments filter test files by path substring:
//   node scripts/unit.js                 every unit test
//   node scripts/unit.js simulator       only files whose path contains "simulator"
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

const root = path.join(__dirname, '..');
const testRoot = path.join(root, 'test', 'unit');
// One folder per run, so runs started at the same time never delete each other's files.
const outRoot = path.join(root, 'out', 'unit', String(process.pid));

function findTests(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findTests(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

async function main() {
  const filters = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const files = findTests(testRoot).filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));
  if (files.length === 0) {
    console.error(`no unit test files match ${filters.join(', ') || '(all)'}`);
    process.exit(1);
  }
  fs.rmSync(outRoot, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: files,
    outbase: testRoot,
    outdir: outRoot,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    packages: 'external',
    logLevel: 'warning',
  });
  const compiled = files.map((f) => path.join(outRoot, path.relative(testRoot, f)).replace(/\.ts$/, '.js'));
  const concurrency = process.env.NKM_TEST_CONCURRENCY || '2';
  const result = spawnSync(process.execPath, ['--enable-source-maps', '--test', `--test-concurrency=${concurrency}`, ...compiled], {
    stdio: 'inherit',
    cwd: root,
  });
  fs.rmSync(outRoot, { recursive: true, force: true });
  process.exit(result.status ?? 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
