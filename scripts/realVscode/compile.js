// Compiles the test suites that run against a real VS Code (type checking is `npm run typecheck`):
//   test/integration/*.ts -> out/integration/*.js  one bundle per file (vscode and mocha external):
//                            they run inside the extension host, which loads them by path
//   test/e2e/*.ts         -> out/e2e/*.js          one bundle per file too (so tests may import
//                            from src/), except that modules of test/e2e itself stay separate
//                            files: every test shares one instance of the workbench helpers
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');
const { paths } = require('./env');

function tsFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path.join(dir, e.name)] : []))
    .sort();
}

// Removes compiled files whose source is gone (a deleted test must not keep running). The
// output folder is not wiped first: another run (a colleague's) may be loading it right now.
function pruneStale(out, keep) {
  if (!fs.existsSync(out)) return;
  const wanted = new Set(keep);
  for (const entry of fs.readdirSync(out, { withFileTypes: true, recursive: true })) {
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    if (entry.isFile() && file.endsWith('.js') && !wanted.has(file)) fs.rmSync(file, { force: true });
  }
}

function outputsOf(entries, src, out) {
  return entries.map((f) => path.join(out, path.relative(src, f)).replace(/\.ts$/, '.js'));
}

async function compileIntegration() {
  const src = path.join(paths.root, 'test', 'integration');
  const out = path.join(paths.out, 'integration');
  const entries = tsFiles(src).filter((f) => f.endsWith('.test.ts') || path.basename(f) === 'index.ts');
  if (!entries.some((f) => path.basename(f) === 'index.ts')) throw new Error('test/integration/index.ts is missing');
  await esbuild.build({
    entryPoints: entries,
    outbase: src,
    outdir: out,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha', 'bufferutil', 'utf-8-validate'],
    logLevel: 'warning',
  });
  pruneStale(out, outputsOf(entries, src, out));
  return { dir: out, index: path.join(out, 'index.js') };
}

async function compileE2e() {
  const src = path.join(paths.root, 'test', 'e2e');
  const out = path.join(paths.out, 'e2e');
  const entries = tsFiles(src);
  // Imports of other test/e2e modules stay imports (the layout of out/e2e mirrors test/e2e).
  const keepLocalModulesShared = {
    name: 'keep-e2e-modules-shared',
    setup(build) {
      build.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const target = path.resolve(args.resolveDir, args.path);
        const inside = target.startsWith(src + path.sep) && !path.relative(src, target).startsWith('..');
        return inside ? { path: args.path, external: true } : undefined;
      });
    },
  };
  await esbuild.build({
    entryPoints: entries,
    outbase: src,
    outdir: out,
    bundle: true,
    packages: 'external',
    plugins: [keepLocalModulesShared],
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'warning',
  });
  pruneStale(out, outputsOf(entries, src, out));
  const tests = outputsOf(entries.filter((f) => f.endsWith('.test.ts')), src, out);
  return { dir: out, tests };
}

module.exports = { compileIntegration, compileE2e };
