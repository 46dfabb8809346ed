// No bare fixed sleeps in the tests (issue #13). A test waits for an event, or polls a
// condition with a deadline; a negative check ("nothing happens") holds a condition for a
// stated time with holdsFor (test/unit/holdsFor.ts), which looks all along. A sleep on its own
// ("await sleep(100)", "waitForTimeout(300)") is a guess at how long something takes: too
// short on a loaded machine, and it checks nothing while it lasts.
//
// Read with the TypeScript parser, not with a regular expression, so that comments and strings
// do not count and the code around a sleep can be seen. What counts as a sleep:
//   - `x.waitForTimeout(...)` (playwright);
//   - `await setTimeout(...)` (node:timers/promises);
//   - a promise that only a timer settles: `new Promise((r) => setTimeout(r, ms))`, also with
//     `() => r(value)` as the callback, awaited or returned (a promise kept in a variable is a
//     deadline for a race, not a sleep); one that also settles on something else (an event
//     listener, a probe) is a bounded wait on that event;
//   - a call of a function that returns such a promise (`sleep(ms)` and the like, by name).
// A sleep is fine inside a loop with a bound (a `for` with a comparison in its condition, a
// loop over a collection, or a loop that reads the clock: Date.now(), performance.now(), a
// deadline): one step of a poll, or pacing traffic. Anywhere else it must be in ALLOWED below.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import ts from 'typescript';

const ROOT = process.cwd(); // scripts/unit.js runs the tests from the repository root

interface Allowed {
  /** A file, or a folder ending in '/', relative to the repository root. */
  path: string;
  /** The sleep's code, spaces collapsed (`wb.page.waitForTimeout(300)`); none: every sleep under a folder. */
  code?: string;
  /** How many times that code sleeps in that file (default 1): the count must match exactly. */
  count?: number;
  why: string;
}

// Short, and each entry explained. A stale entry (its sleep gone) fails too: take it out.
const ALLOWED: Allowed[] = [
  {
    path: 'test/unit/conformance/servers/',
    why: "the fake servers' own behaviour, modelled on the Erlang sources (timer:sleep(1000) before a failed login's answer, retry_time): what the product must cope with, not a test waiting",
  },
  {
    path: 'test/rigFixtures/',
    why: 'test files that misbehave on purpose, for the test of the unit runner itself (a test that takes 1.5 s, a report that must reach the runner before process.exit)',
  },
  {
    path: 'test/e2e/02-live-tree.test.ts',
    code: 'wb.page.waitForTimeout(2_000)',
    why: 'one step of a poll: pacing inside the probe of an eventually() with a 120 s deadline (the loop is in eventually, out of sight here)',
  },
  {
    path: 'test/e2e/04-busy-tree.test.ts',
    code: 'wb.page.waitForTimeout(20_000)',
    why: 'run alone only: the demo traffic the earlier steps would have let through (rooms with members), which no condition names; e2e is not run on every change, left as it was',
  },
  {
    path: 'test/e2e/04-busy-tree.test.ts',
    code: 'wb.page.waitForTimeout(1_500)',
    why: 'a negative check (the tooltip stays while the pointer rests); it should look all along, like holdsFor, which is synchronous and has no page to ask: left for an e2e run to confirm',
  },
  {
    path: 'test/e2e/03-timeline.test.ts',
    code: 'wb.page.waitForTimeout(50)',
    why: 'pressAndHear, after the announcement was heard: what it lets settle is not said; e2e, left for a run that can confirm a replacement',
  },
  {
    path: 'test/e2e/03-timeline.test.ts',
    code: 'workbench().page.waitForTimeout(300)',
    why: 'the redraw after a scroll, before reading canvas pixels (two animation frames of the webview would do); e2e, left for a run that can confirm it',
  },
  {
    path: 'test/e2e/03-timeline.test.ts',
    code: 'wb.page.waitForTimeout(300)',
    count: 2,
    why: 'after following is turned on and off, before pointing at marks: what it waits for is not said; e2e, left for a run that can confirm a replacement',
  },
  {
    path: 'test/e2e/workbench.ts',
    code: 'this.page.waitForTimeout(1_000)',
    why: 'the Settings editor writes a setting a moment after its input changes, with nothing on screen to wait for; e2e, left as it was',
  },
  {
    path: 'test/integration/filter.test.ts',
    code: 'setTimeout(r, SETTLE_MS)',
    why: 'a negative check (no second init comes), its length stated at SETTLE_MS; should become a holdsFor, left until an integration run can confirm it',
  },
];

interface Sleep {
  file: string;
  line: number;
  code: string;
  /** Why it is not fine where it is. */
  problem: string;
}

const TEST_DIR = 'test';
const EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

function testFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return testFiles(rel);
    return EXTENSIONS.some((ext) => entry.name.endsWith(ext)) ? [rel] : [];
  });
}

function unwrap(node: ts.Node): ts.Node {
  let n = node.parent;
  while (n && (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isTypeAssertionExpression(n) || ts.isNonNullExpression(n) || ts.isSatisfiesExpression(n))) n = n.parent;
  return n;
}

function isFunction(node: ts.Node): node is ts.FunctionLikeDeclaration {
  return ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node) || ts.isGetAccessor(node) || ts.isConstructorDeclaration(node);
}

function isCallTo(node: ts.Node, name: string): node is ts.CallExpression {
  return ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === name;
}

/** The one expression an executor or a callback body comes down to, if it is only one. */
function soleExpression(body: ts.ConciseBody): ts.Expression | undefined {
  let expr: ts.Expression | undefined;
  if (ts.isBlock(body)) {
    if (body.statements.length !== 1) return undefined;
    const [statement] = body.statements;
    if (ts.isExpressionStatement(statement)) expr = statement.expression;
    else if (ts.isReturnStatement(statement)) expr = statement.expression;
  } else {
    expr = body;
  }
  while (expr && ts.isParenthesizedExpression(expr)) expr = expr.expression;
  // `timer = setTimeout(...)`
  if (expr && ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.EqualsToken) expr = expr.right;
  return expr;
}

/** `new Promise((r) => setTimeout(r, ms))` or `... setTimeout(() => r(x), ms)`: only the timer resolves it. */
function isTimerPromise(node: ts.Node): node is ts.NewExpression {
  if (!ts.isNewExpression(node) || !ts.isIdentifier(node.expression) || node.expression.text !== 'Promise') return false;
  const executor = node.arguments?.[0];
  if (!executor || !(ts.isArrowFunction(executor) || ts.isFunctionExpression(executor))) return false;
  const resolveParam = executor.parameters[0]?.name;
  if (!resolveParam || !ts.isIdentifier(resolveParam)) return false;
  const timer = soleExpression(executor.body);
  if (!timer || !isCallTo(timer, 'setTimeout')) return false;
  const callback = timer.arguments[0];
  if (!callback) return false;
  if (ts.isIdentifier(callback)) return callback.text === resolveParam.text;
  if (ts.isArrowFunction(callback) || ts.isFunctionExpression(callback)) {
    const call = soleExpression(callback.body);
    return call !== undefined && isCallTo(call, resolveParam.text);
  }
  return false;
}

/** The name a function is known by: `function sleep`, `const sleep = () => ...`. */
function functionName(fn: ts.FunctionLikeDeclaration): string | undefined {
  if (fn.name && ts.isIdentifier(fn.name)) return fn.name.text;
  const parent = fn.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}

/** The function whose returned value `node` is (an arrow's concise body, or `return node`), if any. */
function returnedBy(node: ts.Node): ts.FunctionLikeDeclaration | undefined {
  const parent = unwrap(node);
  if (parent && ts.isReturnStatement(parent)) {
    let n: ts.Node = parent;
    while (n && !isFunction(n)) n = n.parent;
    return n as ts.FunctionLikeDeclaration | undefined;
  }
  if (parent && ts.isArrowFunction(parent) && parent.body !== undefined) return parent;
  return undefined;
}

/** Why a sleep at `node` is not in a bounded loop; undefined when it is. */
function outsideBoundedLoop(node: ts.Node, source: ts.SourceFile): string | undefined {
  for (let n = node.parent; n && !isFunction(n); n = n.parent) {
    if (ts.isForOfStatement(n) || ts.isForInStatement(n)) return undefined;
    if (ts.isForStatement(n) || ts.isWhileStatement(n) || ts.isDoStatement(n)) {
      const text = n.getText(source);
      if (/\bDate\.now\(\)|\bperformance\.now\(\)|deadline/i.test(text)) return undefined;
      const condition = ts.isForStatement(n) ? n.condition : undefined;
      if (condition && /[<>]=?/.test(condition.getText(source))) return undefined;
      return 'in a loop without a bound (a deadline, or a count in its condition)';
    }
  }
  return 'outside a polling loop';
}

/** Every fixed sleep of `files` that is not in a bounded loop. `sources`: path -> text. */
function bareSleeps(sources: Map<string, string>): Sleep[] {
  const parsed = [...sources].map(([file, text]) => {
    const kind = /\.[mc]?js$/.test(file) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
    return { file, source: ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind) };
  });
  // Sleep helpers by name, across files (they are imported): functions returning a timer promise.
  const helpers = new Set<string>();
  const helperBodies = new Set<ts.Node>();
  for (const { source } of parsed) {
    const visit = (node: ts.Node): void => {
      if (isTimerPromise(node)) {
        const fn = returnedBy(node);
        const name = fn && functionName(fn);
        if (name) {
          helpers.add(name);
          helperBodies.add(node);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  const found: Sleep[] = [];
  for (const { file, source } of parsed) {
    /** `at`: where the sleep is (its loop is looked for from there); `shown`: the code named. */
    const report = (at: ts.Node, shown: ts.Node = at) => {
      const problem = outsideBoundedLoop(at, source);
      if (!problem) return;
      const line = source.getLineAndCharacterOfPosition(shown.getStart(source)).line + 1;
      found.push({ file, line, code: shown.getText(source).replace(/\s+/g, ' '), problem });
    };
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = node.expression;
        if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'waitForTimeout') report(node);
        else if (ts.isIdentifier(callee) && helpers.has(callee.text)) report(node);
        else if (isCallTo(node, 'setTimeout') && unwrap(node) && ts.isAwaitExpression(unwrap(node))) report(node);
      } else if (isTimerPromise(node) && !helperBodies.has(node)) {
        const parent = unwrap(node);
        // Awaited, or handed back by an anonymous function (`() => new Promise(...)`): a sleep.
        // Kept in a variable (a deadline for Promise.race): not one.
        if (parent && (ts.isAwaitExpression(parent) || returnedBy(node))) {
          report(node, soleExpression((node.arguments![0] as ts.ArrowFunction).body)!);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

function allowedFor(sleep: Sleep): Allowed | undefined {
  return ALLOWED.find((a) => (a.path.endsWith('/') ? sleep.file.startsWith(a.path) && a.code === undefined : sleep.file === a.path && sleep.code === a.code));
}

describe('test rig: no bare fixed sleeps', { timeout: 60_000 }, () => {
  test('the scanner finds bare sleeps and lets polls, holds and deadlines be', () => {
    const sample = `
      import { holdsFor } from './holdsFor';
      export function sleep(ms: number) { return new Promise((resolve) => setTimeout(resolve, ms)); }
      async function a() { await new Promise((r) => setTimeout(r, 50)); }
      async function b() { await sleep(100); }
      async function c(page: any) { await page.waitForTimeout(300); }
      const d = (page: any) => page.evaluate(() => new Promise((r) => setTimeout(() => r(1), 400)));
      async function e(x: () => boolean) { while (!x()) await sleep(5); }
      async function f(x: () => boolean) { const deadline = Date.now() + 1000; while (!x() && Date.now() < deadline) await sleep(5); }
      async function g(x: () => boolean) { for (let i = 0; i < 100 && !x(); i++) await new Promise((r) => setTimeout(r, 10)); }
      async function h(x: () => boolean) { await holdsFor(x, 100, 'why'); }
      async function i(p: Promise<void>) { let t; const guard = new Promise((_, reject) => (t = setTimeout(() => reject(new Error('late')), 1000))); await Promise.race([p, guard]); }
      async function j() { const timedOut = new Promise((resolve) => setTimeout(() => resolve('timeout'), 1000)); return timedOut; }
      async function k(target: EventTarget) { await new Promise((resolve) => { const t = setTimeout(resolve, 500); target.addEventListener('x', () => { clearTimeout(t); resolve(undefined); }); }); }
      // await sleep(1000) in a comment, and 'await sleep(1000)' in a string, are not sleeps
    `;
    const found = bareSleeps(new Map([['sample.ts', sample]]));
    const lines = sample.split('\n');
    const at = (text: string) => lines.findIndex((l) => l.includes(text)) + 1;
    assert.deepEqual(
      found.map((s) => [s.line, s.code, s.problem]),
      [
        [at('async function a'), 'setTimeout(r, 50)', 'outside a polling loop'],
        [at('async function b'), 'sleep(100)', 'outside a polling loop'],
        [at('async function c'), 'page.waitForTimeout(300)', 'outside a polling loop'],
        [at('const d ='), 'setTimeout(() => r(1), 400)', 'outside a polling loop'],
        [at('async function e'), 'sleep(5)', 'in a loop without a bound (a deadline, or a count in its condition)'],
      ],
    );
  });

  test('no test file sleeps a fixed time outside a polling loop, except the few allowed', () => {
    const files = testFiles(TEST_DIR);
    assert.ok(files.length > 100, `only ${files.length} test files found under ${TEST_DIR}/`);
    const sleeps = bareSleeps(new Map(files.map((f) => [f, fs.readFileSync(path.join(ROOT, f), 'utf8')])));
    const unexplained = sleeps.filter((s) => !allowedFor(s));
    assert.deepEqual(
      unexplained.map((s) => `${s.file}:${s.line} ${s.code}: ${s.problem}`),
      [],
      'wait for the event, poll the condition with a deadline and a message, or, for "nothing happens", use holdsFor (test/unit/holdsFor.ts) with the reason its time is enough',
    );
    const stale = ALLOWED.filter((a) => a.code !== undefined)
      .map((a) => ({ a, seen: sleeps.filter((s) => allowedFor(s) === a).length }))
      .filter(({ a, seen }) => seen !== (a.count ?? 1))
      .map(({ a, seen }) => `${a.path} ${a.code}: allowed ${a.count ?? 1}, found ${seen}`);
    assert.deepEqual(stale, [], 'allow-list entries that no longer match: update or remove them');
    const emptyFolders = ALLOWED.filter((a) => a.code === undefined && !sleeps.some((s) => allowedFor(s) === a)).map((a) => a.path);
    assert.deepEqual(emptyFolders, [], 'allowed folders without a sleep: remove them');
  });
});
