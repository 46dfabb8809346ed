// The alignment behind `diff`: an LCS over event meanings, `-` before `+` between pairs, and
// an approximation (said so) when the sequences are too long for the exact one.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { alignSequences, type AlignedStep } from '../../../src/trace/sequenceAlignment';

/** The steps as a diff reads them: `=x` in both, `-x` only in A, `+x` only in B. */
function render(a: string[], b: string[], steps: AlignedStep[]): string[] {
  return steps.map((s) => (s.a !== undefined && s.b !== undefined ? `=${a[s.a]}` : s.a !== undefined ? `-${a[s.a]}` : `+${b[s.b!]}`));
}

function aligned(a: string[], b: string[], maxExactCells?: number, expectExact = maxExactCells === undefined): string[] {
  const { steps, exact } = alignSequences(a, b, maxExactCells);
  assert.equal(exact, expectExact, 'exact unless the test forces the approximation');
  checkWellFormed(a, b, steps);
  return render(a, b, steps);
}

/** Every item of A and of B once, in order; pairs only between equal keys. */
function checkWellFormed(a: string[], b: string[], steps: AlignedStep[]): void {
  assert.deepEqual(steps.filter((s) => s.a !== undefined).map((s) => s.a), a.map((_, i) => i));
  assert.deepEqual(steps.filter((s) => s.b !== undefined).map((s) => s.b), b.map((_, i) => i));
  for (const s of steps) if (s.a !== undefined && s.b !== undefined) assert.equal(a[s.a], b[s.b]);
}

describe('sequence alignment', () => {
  test('identical sequences: every step in both', { timeout: 5_000 }, () => {
    const seq = ['created', 'type:candidate', 'answered', 'ended'];
    assert.deepEqual(aligned(seq, [...seq]), ['=created', '=type:candidate', '=answered', '=ended']);
  });

  test('one extra event, in the middle, at the start, at the end', { timeout: 5_000 }, () => {
    assert.deepEqual(aligned(['created', 'answered', 'ended'], ['created', 'type:candidate', 'answered', 'ended']), ['=created', '+type:candidate', '=answered', '=ended']);
    assert.deepEqual(aligned(['snapshot', 'answered', 'ended'], ['answered', 'ended']), ['-snapshot', '=answered', '=ended']);
    assert.deepEqual(aligned(['created', 'answered'], ['created', 'answered', 'ended']), ['=created', '=answered', '+ended']);
  });

  test('reordered: one of the two is paired, the other shows as gone from A and new in B', { timeout: 5_000 }, () => {
    assert.deepEqual(aligned(['created', 'type:info', 'answered', 'ended'], ['created', 'answered', 'type:info', 'ended']), ['=created', '-type:info', '=answered', '+type:info', '=ended']);
  });

  test('completely different: all of A, then all of B', { timeout: 5_000 }, () => {
    assert.deepEqual(aligned(['ringing', 'answered', 'ended'], ['created', 'type:status']), ['-ringing', '-answered', '-ended', '+created', '+type:status']);
  });

  test('empty: nothing, or all of the other side', { timeout: 5_000 }, () => {
    assert.deepEqual(aligned([], []), []);
    assert.deepEqual(aligned([], ['created', 'ended']), ['+created', '+ended']);
    assert.deepEqual(aligned(['created', 'ended'], []), ['-created', '-ended']);
  });

  test('the longest common part is kept, not the first match found', { timeout: 5_000 }, () => {
    // Greedy pairing of the first `x` would cost the three `y`s.
    assert.deepEqual(aligned(['x', 'y', 'y', 'y'], ['y', 'y', 'y', 'x']), ['-x', '=y', '=y', '=y', '+x']);
    // Repeated candidates: the extra ones are the leftovers, the rest pair up (the last with
    // the last: the shared ends are paired first).
    const a = ['created', 'c', 'c', 'answered', 'c', 'ended'];
    const b = ['created', 'c', 'answered', 'c', 'c', 'c', 'ended'];
    assert.deepEqual(aligned(a, b), ['=created', '=c', '-c', '=answered', '+c', '+c', '=c', '=ended']);
  });

  test('past the exact limit: a common subsequence still, in order, and flagged approximate', { timeout: 5_000 }, () => {
    const a = ['created', 'c', 'x', 'c', 'y', 'ended'];
    const b = ['created', 'y', 'c', 'c', 'x', 'ended'];
    const exact = aligned(a, b);
    const approx = aligned(a, b, 1);
    const pairs = (steps: string[]) => steps.filter((s) => s.startsWith('=')).length;
    assert.equal(pairs(exact), 4, 'created, c, c, ended (or with x): the LCS has 4');
    assert.ok(pairs(approx) >= 3 && pairs(approx) <= pairs(exact), `approximation paired ${pairs(approx)}`);
    assert.deepEqual(aligned(['a', 'b', 'c'], ['a', 'b', 'c'], 0, true), ['=a', '=b', '=c'], 'a shared prefix and suffix cost no cells: exact at any limit');
  });

  test('two sequences of 3,000 differing events each align exactly, quickly', { timeout: 10_000 }, () => {
    const a = Array.from({ length: 3000 }, (_, i) => (i % 3 === 0 ? 'type:candidate' : `k${i % 7}`));
    const b = Array.from({ length: 3000 }, (_, i) => (i % 4 === 0 ? 'type:candidate' : `k${i % 5}`));
    const started = Date.now();
    const { steps, exact } = alignSequences(a, b);
    assert.equal(exact, true);
    checkWellFormed(a, b, steps);
    assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
  });
});
