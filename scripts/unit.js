// Runs the plain-Node unit tests: each test/unit/**/*.test.ts is bundled by esbuild into
// out/unit/ (type checking is the typecheck stage of scripts/test.js), then node's own test
// runner runs them, one process per file.
//   node scripts/unit.js                              every unit test
//   node scripts/unit.js simulator                    files whose path contains "simulator"
//   node scripts/unit.js test/unit/protocol/clientTls.test.ts --test-name-pattern "expired"
//                                                     the tests of that file whose name matches
//
// Honest counts: the spec reporter is for people; the counts come from the runner's events
// (scripts/nodeTest/runCounts.js), which also show tests that were declared but never
// reported (a process.exit() mid-file). Every test and hook has a timeout
// (scripts/nodeTest/timeouts.js; NKM_TEST_TIMEOUT_MS, default 30 s) and every file one for its
// whole process (NKM_TEST_FILE_TIMEOUT_MS, default 5 min: a hang while loading, say). A file's
// process ends when its tests have (forceExit): a test that timed out may still hold a server
// open, and that must not keep the run waiting. A run that ran no test fails. The counts go
// to scripts/test.js through NKM_STAGE_RESULTS (scripts/realVscode/env.js writeResults).
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');
const { finished } = require('stream/promises');
const { run } = require('node:test');
const { spec } = require('node:test/reporters');
const { RunCounts } = require('./nodeTest/runCounts');
const { writeResults } = require('./realVscode/env');

const root = path.join(__dirname, '..');
// NKM_UNIT_TEST_ROOT: another folder of *.test.ts (the rig's own test runs its fixtures so).
const testRoot = path.resolve(root, process.env.NKM_UNIT_TEST_ROOT || path.join('test', 'unit'));
// One folder per run, so runs started at the same time never delete each other's files.
const outRoot = path.join(root, 'out', 'unit', String(process.pid));
const timeoutsModule = path.join(__dirname, 'nodeTest', 'timeouts.js');
const TIMEOUTS_GLOBAL = '__nkmNodeTestWithTimeouts';
const FILE_TIMEOUT_MS = Number(process.env.NKM_TEST_FILE_TIMEOUT_MS) || 300_000;

function findTests(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return findTests(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Path filters and `--test-name-pattern` values; anything else is a mistake worth saying. */
function parseArgs(argv) {
  const filters = [];
  const patterns = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--test-name-pattern') patterns.push(argv[++i] ?? '');
    else if (arg.startsWith('--test-name-pattern=')) patterns.push(arg.slice('--test-name-pattern='.length));
    else if (arg.startsWith('-')) throw new Error(`unknown option ${arg} (options: --test-name-pattern REGEX)`);
    else filters.push(arg);
  }
  return { filters, patterns };
}

// `node:test` imports get scripts/nodeTest/timeouts.js, whose code sits in the bundle's banner
// (unmapped: see that file for why) and is reached through one global.
const defaultTimeouts = {
  name: 'node-test-default-timeouts',
  setup(build) {
    build.onResolve({ filter: /^node:test$/ }, () => ({ path: 'node:test', namespace: 'nkm-timeouts' }));
    build.onLoad({ filter: /.*/, namespace: 'nkm-timeouts' }, () => ({ contents: `module.exports = ${TIMEOUTS_GLOBAL};`, loader: 'js' }));
  },
};

async function bundle(files) {
  const timeouts = fs.readFileSync(timeoutsModule, 'utf8');
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
    plugins: [defaultTimeouts],
    banner: { js: `var ${TIMEOUTS_GLOBAL} = (function (module) {\n${timeouts}\nreturn module.exports;\n})({ exports: {} });` },
    logLevel: 'warning',
  });
  return files.map((f) => path.join(outRoot, path.relative(testRoot, f)).replace(/\.ts$/, '.js'));
}

/** out/unit/<pid>/a/b.test.js -> test/unit/a/b.test.ts, for messages people act on. */
function sourceOf(file) {
  if (!file) return '(unknown file)';
  const rel = path.relative(outRoot, file);
  return rel.startsWith('..') ? path.relative(root, file) : path.relative(root, path.join(testRoot, rel)).replace(/\.js$/, '.ts');
}

/** Runs the compiled files with the spec reporter on stdout; resolves with the counts. */
async function runFiles(compiled, patterns) {
  // Source-mapped stacks in the files' processes, which inherit this environment.
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS || ''} --enable-source-maps`.trim();
  const counts = new RunCounts();
  const stream = run({
    files: compiled,
    concurrency: Number(process.env.NKM_TEST_CONCURRENCY || 2),
    timeout: FILE_TIMEOUT_MS,
    forceExit: true,
    ...(patterns.length ? { testNamePatterns: patterns } : {}),
  });
  stream.on('data', (event) => counts.add(event));
  const shown = stream.compose(new spec());
  shown.pipe(process.stdout, { end: false });
  await finished(shown);
  return counts.result();
}

/** Prints what went wrong and the counts; returns the exit code. */
function judge(report, patterns) {
  const missing = report.incomplete.reduce((n, f) => n + f.missing.length, 0);
  const failed = report.failed + report.cancelled + missing;
  const ran = report.passed + failed;
  console.log('');
  for (const f of report.failures) console.log(`✖ ${sourceOf(f.file)} › ${f.name}\n    ${f.error}`);
  for (const f of report.incomplete) {
    console.log(`✖ ${sourceOf(f.file)}: ${f.missing.length} declared test(s) never reported (did the file's process exit early?): ${f.missing.join(', ')}`);
  }
  const lost = missing ? ` (${missing} never reported)` : '';
  const extra = report.notSelected ? `; ${report.notSelected} not selected by --test-name-pattern` : '';
  console.log(`unit: ${ran} tests ran: ${report.passed} passed, ${failed} failed${lost}; ${report.skipped} skipped, ${report.todo} todo${extra}`);
  writeResults('unit', { passed: report.passed, failed, skipped: report.skipped, todo: report.todo });
  if (ran === 0) {
    console.error(`no unit test ran${patterns.length ? ` (no test name matches ${patterns.join(', ')})` : ''}`);
    return 1;
  }
  return failed > 0 ? 1 : 0;
}

async function main() {
  process.chdir(root); // tests read the repository's files by relative path
  const { filters, patterns } = parseArgs(process.argv.slice(2));
  const files = findTests(testRoot).filter((f) => filters.length === 0 || filters.some((s) => f.includes(s) || path.relative(root, f).includes(s)));
  if (files.length === 0) {
    console.error(`no unit test files match ${filters.join(', ') || '(all)'}`);
    writeResults('unit', { passed: 0, failed: 0, skipped: 0, todo: 0 });
    return 1;
  }
  fs.rmSync(outRoot, { recursive: true, force: true });
  try {
    const compiled = await bundle(files);
    return judge(await runFiles(compiled, patterns), patterns);
  } finally {
    fs.rmSync(outRoot, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error && error.message ? error.message : error);
    process.exit(1);
  },
);
