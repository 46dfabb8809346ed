// Aligns two sequences of keys: which items of A and B are "the same step", and which are
// only in one of them. A longest common subsequence (LCS): it keeps the order of both, pairs
// as many items as can be paired, and what it leaves over is exactly "one has it, the other
// lacks it". An edit distance with substitutions would pair a `candidate` with an `info`
// because they stand at the same place; for events that is a wrong answer, not a cheap one.
//
// Cost: the common prefix and suffix are paired first (two runs of one call differ in the
// middle, if at all), and the exact dynamic programme runs over what is left, one byte per
// cell. Past MAX_EXACT_CELLS (a room with thousands of events on each side) it would take
// too long and too much memory, so a close approximation is used instead and said so.

/** One step: an item of both (same key), or of one side only. Indexes into A and B. */
export type AlignedStep = { a: number; b: number } | { a: number; b?: undefined } | { a?: undefined; b: number };

export interface Alignment {
  steps: AlignedStep[];
  /** false when the sequences were too long for the exact LCS (see approximateMatches). */
  exact: boolean;
}

/** 16 M cells: 16 MB and a few tenths of a second (4,000 differing events on each side: 0.26 s on the 2-core dev machine). */
export const MAX_EXACT_CELLS = 16 * 1024 * 1024;

const MATCH = 0;
const SKIP_A = 1;
const SKIP_B = 2;

export function alignSequences(a: readonly string[], b: readonly string[], maxExactCells = MAX_EXACT_CELLS): Alignment {
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (suffix < a.length - prefix && suffix < b.length - prefix && a[a.length - 1 - suffix] === b[b.length - 1 - suffix]) suffix++;
  const aEnd = a.length - suffix;
  const bEnd = b.length - suffix;
  const n = aEnd - prefix;
  const m = bEnd - prefix;
  const exact = n * m <= maxExactCells;
  const middle = exact ? lcsMatches(a, b, prefix, aEnd, prefix, bEnd) : approximateMatches(a, b, prefix, aEnd, prefix, bEnd);

  const steps: AlignedStep[] = [];
  for (let i = 0; i < prefix; i++) steps.push({ a: i, b: i });
  let i = prefix;
  let j = prefix;
  // Between two pairs: A's leftovers first, then B's, as a diff shows `-` lines before `+`.
  const upTo = (ai: number, bj: number) => {
    for (; i < ai; i++) steps.push({ a: i });
    for (; j < bj; j++) steps.push({ b: j });
  };
  for (const [ai, bj] of middle) {
    upTo(ai, bj);
    steps.push({ a: ai, b: bj });
    i = ai + 1;
    j = bj + 1;
  }
  upTo(aEnd, bEnd);
  for (let k = 0; k < suffix; k++) steps.push({ a: aEnd + k, b: bEnd + k });
  return { steps, exact };
}

/** The pairs (index in A, index in B) of an exact LCS of a[a0..a1) and b[b0..b1), in order. */
function lcsMatches(a: readonly string[], b: readonly string[], a0: number, a1: number, b0: number, b1: number): Array<[number, number]> {
  const n = a1 - a0;
  const m = b1 - b0;
  if (n === 0 || m === 0) return [];
  // Lengths of the LCS of the suffixes a[i..], b[j..], two rows at a time; the choice made
  // at each cell is kept (one byte) so the pairs can be read off from the front.
  const choice = new Uint8Array(n * m);
  let below = new Uint32Array(m + 1);
  let row = new Uint32Array(m + 1);
  for (let i = n - 1; i >= 0; i--) {
    row[m] = 0;
    const ai = a[a0 + i];
    for (let j = m - 1; j >= 0; j--) {
      if (ai === b[b0 + j]) {
        row[j] = below[j + 1] + 1;
        choice[i * m + j] = MATCH;
      } else if (below[j] >= row[j + 1]) {
        // On a tie, leave A's item first: runs of `-` come before runs of `+`.
        row[j] = below[j];
        choice[i * m + j] = SKIP_A;
      } else {
        row[j] = row[j + 1];
        choice[i * m + j] = SKIP_B;
      }
    }
    [below, row] = [row, below];
  }
  const pairs: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    const c = choice[i * m + j];
    if (c === MATCH) pairs.push([a0 + i++, b0 + j++]);
    else if (c === SKIP_A) i++;
    else j++;
  }
  return pairs;
}

/**
 * For sequences too long for the exact LCS: the k-th item of each key in A is paired with
 * the k-th item of that key in B, then the longest run of those pairs that is in order on
 * both sides is kept (a longest increasing subsequence, O(n log n)). Exact when no key
 * repeats out of order; otherwise a common subsequence close to the longest.
 */
function approximateMatches(a: readonly string[], b: readonly string[], a0: number, a1: number, b0: number, b1: number): Array<[number, number]> {
  const inB = new Map<string, number[]>();
  for (let j = b0; j < b1; j++) {
    const list = inB.get(b[j]);
    if (list) list.push(j);
    else inB.set(b[j], [j]);
  }
  const seen = new Map<string, number>();
  const candidates: Array<[number, number]> = [];
  for (let i = a0; i < a1; i++) {
    const k = seen.get(a[i]) ?? 0;
    seen.set(a[i], k + 1);
    const j = inB.get(a[i])?.[k];
    if (j !== undefined) candidates.push([i, j]);
  }
  // Patience: tails[len] = index into candidates of the smallest B index ending a run of len + 1.
  const tails: number[] = [];
  const previous = new Int32Array(candidates.length).fill(-1);
  candidates.forEach(([, j], c) => {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (candidates[tails[mid]][1] < j) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) previous[c] = tails[lo - 1];
    tails[lo] = c;
  });
  const pairs: Array<[number, number]> = [];
  for (let c = tails.length > 0 ? tails[tails.length - 1] : -1; c >= 0; c = previous[c]) pairs.push(candidates[c]);
  return pairs.reverse();
}
