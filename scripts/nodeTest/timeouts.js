// Stands in for `node:test` in every unit test bundle (scripts/unit.js): gives each test and
// hook a timeout, so that a test stuck waiting for something that never comes fails with its
// name instead of hanging the run.
//
// Why: on Node 20, `--test-timeout` bounds each test FILE (its whole process), not the tests
// in it, and a test without `{ timeout }` waits forever. Here a test or hook that names no
// timeout gets the one its enclosing suite names (what node:test would inherit), else
// NKM_TEST_TIMEOUT_MS (default 30 s). Suites get none of their own: their tests and hooks are
// bounded one by one.
//
// Why scripts/unit.js puts this module's code at the top of each bundle, outside the source
// map: node:test records where a test was declared from the function that called test(),
// here one of these wrappers. At the top of the bundle that stays the test's own file (which
// the counting reporter groups by); mapped, it would name this file for every test.
const nodeTest = require('node:test');

const DEFAULT_MS = Number(process.env.NKM_TEST_TIMEOUT_MS) || 30_000;

// The timeouts named by the suites being declared right now (innermost last). describe()
// runs its body synchronously, and that is where its tests and hooks are declared.
const suiteTimeouts = [];
const inherited = () => (suiteTimeouts.length ? suiteTimeouts[suiteTimeouts.length - 1] : DEFAULT_MS);
const isOptions = (a) => typeof a === 'object' && a !== null;
const hasTimeout = (options) => isOptions(options) && options.timeout !== undefined;

/** The arguments of test(name?, options?, fn?) with a `timeout` in the options. */
function withTimeout(args, timeout) {
  const list = [...args];
  const optionsAt = list.findIndex(isOptions);
  if (optionsAt >= 0) {
    if (!hasTimeout(list[optionsAt])) list[optionsAt] = { ...list[optionsAt], timeout };
    return list;
  }
  const fnAt = list.findIndex((a) => typeof a === 'function');
  list.splice(fnAt >= 0 ? fnAt : list.length, 0, { timeout });
  return list;
}

function withVariants(wrap, original) {
  const wrapped = wrap(original);
  for (const name of ['skip', 'todo', 'only']) {
    if (typeof original[name] === 'function') wrapped[name] = wrap(original[name]);
  }
  return wrapped;
}

const wrapTest = (original) =>
  function test(...args) {
    return original.apply(this, withTimeout(args, inherited()));
  };

const wrapSuite = (original) =>
  function suite(...args) {
    const options = args.find(isOptions);
    suiteTimeouts.push(hasTimeout(options) ? options.timeout : inherited());
    try {
      return original.apply(this, args);
    } finally {
      suiteTimeouts.pop();
    }
  };

// Hooks take (fn, options).
const wrapHook = (original) =>
  function hook(fn, options) {
    return original.call(this, fn, hasTimeout(options) ? options : { ...options, timeout: inherited() });
  };

const test = withVariants(wrapTest, nodeTest.test);
module.exports = {
  ...nodeTest,
  default: test,
  test,
  it: withVariants(wrapTest, nodeTest.it),
  describe: withVariants(wrapSuite, nodeTest.describe),
  suite: withVariants(wrapSuite, nodeTest.suite),
  before: wrapHook(nodeTest.before),
  after: wrapHook(nodeTest.after),
  beforeEach: wrapHook(nodeTest.beforeEach),
  afterEach: wrapHook(nodeTest.afterEach),
};
