// What the "Compare Objects" panel shows, made from an object diff (objectDiff.ts) on the
// host: every text the page places (side headers, offsets, deltas, field values), the long
// lists cut. The page only renders it (src/webview/diffPage), so this is where the wording is
// decided and tested, as objectDiffText.ts does for the terminal.
import type { DiffFieldView, DiffRowView, DiffSideView, DiffView } from '../shared/diffProtocol';
import type { FieldValue } from './bodyDiff';
import type { DiffSide, DiffStep, ObjectDiff } from './objectDiff';

/** Steps listed before "… and N more steps"; a room of a long night can have thousands. */
export const MAX_ROWS = 2000;
/** Body differences listed per step. */
export const MAX_FIELDS = 50;
/** Values longer than this are cut (with …). */
export const MAX_VALUE = 300;

export interface DiffSideSource {
  /** The source's name, as the tree shows it. */
  name: string;
  live: boolean;
}

export function diffView(diff: ObjectDiff, sources: { a: DiffSideSource; b: DiffSideSource }): DiffView {
  const c = diff.counts;
  const notes: string[] = [];
  if (diff.a.kind !== diff.b.kind) notes.push(`A is a ${diff.a.kind} and B a ${diff.b.kind}: only their common steps line up.`);
  if (!diff.alignment.exact) notes.push('Approximate alignment: the objects have too many events for the exact one.');
  const live = [sources.a.live ? 'A' : '', sources.b.live ? 'B' : ''].filter(Boolean);
  if (live.length > 0) notes.push(`${live.join(' and ')} ${live.length === 1 ? 'is' : 'are'} live: Refresh compares the events stored now.`);
  return {
    a: sideView('A', diff.a, sources.a),
    b: sideView('B', diff.b, sources.b),
    summary:
      `Steps aligned by meaning: ${c.both} in both, ${c.onlyA} only in A (−), ${c.onlyB} only in B (+); ` +
      `${c.bodyDifferences} body field difference${c.bodyDifferences === 1 ? '' : 's'} in ${c.stepsWithBodyDifferences} step${c.stepsWithBodyDifferences === 1 ? '' : 's'}.`,
    notes,
    rows: diff.steps.slice(0, MAX_ROWS).map(rowView),
    moreRows: Math.max(0, diff.steps.length - MAX_ROWS),
  };
}

function sideView(label: 'A' | 'B', side: DiffSide, source: DiffSideSource): DiffSideView {
  const ending = [side.code !== undefined ? `code ${side.code}` : '', side.reason ?? '', side.endVerdict ? `(${side.endVerdict})` : ''].filter(Boolean).join(' ');
  const detail = [side.state, `${side.events} event${side.events === 1 ? '' : 's'}`, side.events > 0 ? `over ${seconds(side.durationMs)}` : '', ending, side.dialect.label].filter(Boolean);
  return { label, source: source.name, live: source.live, title: `${side.kind} ${side.objId}`, key: side.key, detail: detail.join(' · ') };
}

function rowView(step: DiffStep): DiffRowView {
  if (step.side === 'onlyA') return { side: 'onlyA', a: eventView(step.a), fields: [], moreFields: 0 };
  if (step.side === 'onlyB') return { side: 'onlyB', b: eventView(step.b), fields: [], moreFields: 0 };
  const fields = step.body.slice(0, MAX_FIELDS).map((f): DiffFieldView => ({ path: f.path, a: valueText(f.a), b: valueText(f.b) }));
  return { side: 'both', a: eventView(step.a), b: eventView(step.b), delta: signedSeconds(step.deltaMs), fields, moreFields: Math.max(0, step.body.length - MAX_FIELDS) };
}

function eventView(e: { seq: number; type: string; offsetMs: number }) {
  return { seq: e.seq, type: e.type || '(none)', offset: seconds(e.offsetMs) };
}

/** JSON (so "1" and 1 look different), or "(absent)"; cut when long. */
export function valueText(v: FieldValue | undefined): string {
  if (v === undefined) return '(absent)';
  const text = JSON.stringify(v);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

function signedSeconds(ms: number): string {
  return ms === 0 ? '0.000 s' : `${ms > 0 ? '+' : '−'}${seconds(Math.abs(ms))}`;
}
