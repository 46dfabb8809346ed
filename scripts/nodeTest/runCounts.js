// Counts what a node:test run did from the runner's events (never from text), for
// scripts/unit.js to judge and scripts/test.js to total. It notices tests that vanished:
//   - a file whose process exits (process.exit(0), a crash) before its tests report, or that
//     declares no test, shows up on Node 20 as one passing "test" named after the file: that
//     is a failure here;
//   - a test that was declared (enqueued) but never reported pass or fail is missing, and
//     that fails the run, even when the file's process exited 0.
// result(): { passed, failed, cancelled, skipped, todo, notSelected, failures: [{ name, file,
// error }], incomplete: [{ file, missing: [name] }] }. notSelected counts the tests that
// --test-name-pattern left out (Node 20 reports them as skipped, with this reason).
const NOT_SELECTED = 'test name does not match pattern';
// A suite (or a test with subtests) that failed only because a subtest did: that subtest is
// the failure that counts.
const BECAUSE_OF_SUBTESTS = 'subtestsFailed';

function errorText(error) {
  if (!error) return '';
  const cause = error.cause;
  const message = cause instanceof Error ? cause.message : typeof cause === 'string' ? cause : error.message;
  // The first lines say what failed ("Expected values to be strictly equal: 2 !== 3").
  const lines = String(message ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  const text = lines.slice(0, 3).join(' ');
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

class RunCounts {
  constructor() {
    this.counts = { passed: 0, failed: 0, cancelled: 0, skipped: 0, todo: 0, notSelected: 0 };
    this.failures = [];
    /** Per file: the names of the running suites by nesting, and declared-but-unreported tests. */
    this.files = new Map();
  }

  #file(file) {
    const key = file ?? '(no file)';
    if (!this.files.has(key)) this.files.set(key, { stack: [], pending: new Map() });
    return this.files.get(key);
  }

  /** One event of the runner's stream ({ type, data }). */
  add({ type, data = {} }) {
    const state = this.#file(data.file);
    const slot = `${data.nesting}\u0000${data.name}`;
    if (type === 'test:enqueue') {
      if (data.name !== data.file) state.pending.set(slot, (state.pending.get(slot) ?? 0) + 1); // not the runner's own test of a file
    } else if (type === 'test:start') {
      state.stack[data.nesting] = data.name;
      state.stack.length = data.nesting + 1;
    } else if (type === 'test:pass' || type === 'test:fail') {
      const left = (state.pending.get(slot) ?? 0) - 1;
      if (left > 0) state.pending.set(slot, left);
      else state.pending.delete(slot);
      this.#report(type === 'test:pass', data, [...state.stack.slice(0, data.nesting), data.name].join(' › '));
    }
  }

  #report(passed, data, fullName) {
    const { counts } = this;
    if (data.name === data.file && data.nesting === 0) {
      // The runner's test of a file that reported no test of its own.
      counts.failed++;
      const error = passed ? 'no test reported: the file declares none, or its process exited (process.exit()?) before one reported' : errorText(data.details?.error);
      this.failures.push({ name: '(the whole file)', file: data.file, error });
      return;
    }
    const isSuite = data.details?.type === 'suite';
    if (passed) {
      if (isSuite) return;
      if (data.skip === NOT_SELECTED) counts.notSelected++;
      else if (data.skip !== undefined) counts.skipped++;
      else if (data.todo !== undefined) counts.todo++;
      else counts.passed++;
      return;
    }
    const error = data.details?.error;
    if (data.todo !== undefined && !isSuite) {
      counts.todo++; // a failing todo test does not fail the run (node's rule too)
      return;
    }
    if (error?.failureType === BECAUSE_OF_SUBTESTS) return;
    if (error?.failureType === 'cancelledByParent') counts.cancelled++;
    else counts.failed++;
    this.failures.push({ name: fullName, file: data.file, error: errorText(error) || error?.failureType || 'failed' });
  }

  result() {
    const incomplete = [];
    for (const [file, state] of this.files) {
      const missing = [...state.pending.entries()].flatMap(([slot, n]) => Array(n).fill(slot.split('\u0000')[1]));
      if (missing.length > 0) incomplete.push({ file, missing });
    }
    return { ...this.counts, failures: this.failures, incomplete };
  }
}

module.exports = { RunCounts };
