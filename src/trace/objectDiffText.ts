// The terminal form of an object diff (objectDiff.ts), printed by `nkmedia-inspect diff`:
// a header per side, then one row per step in aligned columns, `-` for a step only A has and
// `+` for one only B has (as in a unified diff, A being the left), and under each shared
// step the body fields that differ.
//
// Every id, type, path and value comes from a server or a trace: each cell is escaped
// (terminalSafe) before it is measured and padded, so that a control character can neither
// reach the terminal nor push the columns out of line, and no value starts a line.
import { terminalSafe } from '../shared/terminalText';
import type { FieldValue } from './bodyDiff';
import type { DiffSide, ObjectDiff } from './objectDiff';

/** Body differences listed per step before "… and N more (--json lists them all)". */
const LISTED_FIELDS = 20;
/** Types and values longer than this are cut (with …); --json has them whole. */
const TYPE_WIDTH = 28;
const VALUE_WIDTH = 60;

export function formatObjectDiff(diff: ObjectDiff): string {
  const out: string[] = [];
  out.push(sideLine('A', diff.a), sideLine('B', diff.b));
  if (diff.a.kind !== diff.b.kind) out.push(`note: A is a ${diff.a.kind} and B a ${diff.b.kind}: only their common steps line up`);
  const c = diff.counts;
  const how = diff.alignment.exact ? '' : ' (approximate: too many events for the exact alignment)';
  out.push(`steps aligned by meaning${how}: ${c.both} in both, ${c.onlyA} only in A (-), ${c.onlyB} only in B (+); ${c.bodyDifferences} body field difference${c.bodyDifferences === 1 ? '' : 's'} in ${c.stepsWithBodyDifferences} step${c.stepsWithBodyDifferences === 1 ? '' : 's'}`);
  if (diff.steps.length === 0) return finish(out);

  const rows = diff.steps.map((step) => ({
    mark: step.side === 'both' ? ' ' : step.side === 'onlyA' ? '-' : '+',
    typeA: step.side === 'onlyB' ? '' : cell(step.a.type || '(none)', TYPE_WIDTH),
    typeB: step.side === 'onlyA' ? '' : cell(step.b.type || '(none)', TYPE_WIDTH),
    timeA: step.side === 'onlyB' ? '' : seconds(step.a.offsetMs),
    timeB: step.side === 'onlyA' ? '' : seconds(step.b.offsetMs),
    delta: step.side === 'both' ? signedSeconds(step.deltaMs) : '',
    step,
  }));
  const header = { typeA: 'A type', typeB: 'B type', timeA: 'A +s', timeB: 'B +s', delta: 'Δ s' };
  // A loop, not Math.max(...rows): a room's diff may have more rows than a call takes arguments.
  const width = (field: keyof typeof header) => rows.reduce((max, r) => Math.max(max, r[field].length), header[field].length);
  const w = { typeA: width('typeA'), typeB: width('typeB'), timeA: width('timeA'), timeB: width('timeB'), delta: width('delta') };
  const line = (mark: string, r: typeof header) =>
    `${mark} ${r.typeA.padEnd(w.typeA)}  ${r.typeB.padEnd(w.typeB)}  ${r.timeA.padStart(w.timeA)}  ${r.timeB.padStart(w.timeB)}  ${r.delta.padStart(w.delta)}`.trimEnd();

  out.push('', line(' ', header));
  for (const r of rows) {
    out.push(line(r.mark, r));
    if (r.step.side !== 'both' || r.step.body.length === 0) continue;
    const listed = r.step.body.slice(0, LISTED_FIELDS);
    const pathWidth = Math.max(...listed.map((f) => cell(f.path, VALUE_WIDTH).length));
    for (const field of listed) {
      out.push(`      ${cell(field.path, VALUE_WIDTH).padEnd(pathWidth)}  ${value(field.a)}  →  ${value(field.b)}`);
    }
    if (r.step.body.length > LISTED_FIELDS) out.push(`      … and ${r.step.body.length - LISTED_FIELDS} more (--json lists them all)`);
  }
  return finish(out);
}

function sideLine(label: 'A' | 'B', side: DiffSide): string {
  const ending = [side.code !== undefined ? `code ${side.code}` : '', side.reason ?? '', side.endVerdict ? `(${side.endVerdict})` : ''].filter(Boolean).join(' ');
  const end = ending ? `, ${ending}` : '';
  const start = side.firstTs !== undefined ? `, from ${iso(side.firstTs)} for ${seconds(side.durationMs)} s` : '';
  return `${label}: ${cell(side.file, VALUE_WIDTH)}  ${cell(side.key, 2 * VALUE_WIDTH)}  ${side.state}, ${side.events} event${side.events === 1 ? '' : 's'}${start}${end}; ${side.dialect.label}`;
}

/** A body value as shown: JSON (strings quoted, so "1" and 1 look different), or "(absent)". */
function value(v: FieldValue | undefined): string {
  return v === undefined ? '(absent)' : cell(JSON.stringify(v), VALUE_WIDTH);
}

/** Escaped, then cut to `max` characters. */
function cell(text: string, max: number): string {
  const safe = terminalSafe(text);
  return safe.length > max ? `${safe.slice(0, max - 1)}…` : safe;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function signedSeconds(ms: number): string {
  return ms === 0 ? '0.000' : `${ms > 0 ? '+' : '-'}${seconds(Math.abs(ms))}`;
}

function iso(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : String(ms);
}

// Each entry is one line; cells were escaped already, but the header lines hold reasons and
// labels from the trace too: escape every line once more as a whole (idempotent).
function finish(out: string[]): string {
  return out.map((line) => terminalSafe(line)).join('\n') + '\n';
}
