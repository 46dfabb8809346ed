// The summary's sections, built from the view the host sent: facts, objects, event types,
// anomalies, notes (when there are some) and invalid lines.
import type { TraceSummaryView } from '../../shared/traceSummaryProtocol';
import { el, more, section, table, type Cell } from './elements';
import { iso, seconds } from './timeText';

const KINDS = ['session', 'room', 'call', 'other'] as const;

/** "2 connect, 1 gap" from name → count, leaving out the zeros. */
const counted = (counts: Readonly<Record<string, number>>) =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${n} ${name}`)
    .join(', ');

export function renderSummary(s: TraceSummaryView): HTMLElement[] {
  return [facts(s), objects(s), types(s), anomalies(s), ...notes(s), invalidLines(s)];
}

function facts(s: TraceSummaryView): HTMLElement {
  const h = s.header;
  const source = h.source ? [h.source.name, h.source.url, h.source.user ? `as ${h.source.user}` : ''].filter(Boolean).join(' ') : '(not recorded)';
  const subscriptions = (h.subscriptions ?? []).map((x) => [x.class, x.subclass || '*', x.type || '*', x.obj_id || '*'].join('/')).join(', ');
  const rows: Cell[][] = [
    ['Format', `NkMEDIA trace version ${h.version}${s.compressed ? ', gzip' : ''}`],
    ['Created', h.created + (h.tool ? ` by ${h.tool}` : '')],
    ['Source', source],
    ['Server', s.dialect.label + (s.dialect.how === 'detected' ? ' (detected from the events)' : '')],
    ['Ends', `${s.endCounts.normal} normal, ${s.endCounts.declined} declined, ${s.endCounts.fault} faults`],
    ['Subscriptions', subscriptions || '(not recorded)'],
    ['Events', String(s.events)],
    ['Markers', counted(s.markers) || 'none'],
    ['Time span', s.timeSpan ? `${iso(s.timeSpan.first)} → ${iso(s.timeSpan.last)} (${seconds(s.timeSpan.seconds)})` : 'no events'],
  ];
  return section('Summary', [table(['', ''], rows)]);
}

function objects(s: TraceSummaryView): HTMLElement {
  const c = s.objectCounts;
  const rows = KINDS.map((kind): Cell[] => [kind, c[kind], Object.entries(s.objectStates[kind]).map(([state, n]) => `${n} ${state}`).join(', ')]);
  return section(`Objects (${c.total})`, [table(['kind', 'count', 'states'], rows)]);
}

function types(s: TraceSummaryView): HTMLElement {
  const rows = s.types.map((t): Cell[] => [`${t.class}/${t.subclass || '(none)'}`, (t.type || '(none)') + (t.known ? '' : ' (not in the NkMEDIA reference)'), t.count]);
  return section('Events per subclass and type', [table(['class/subclass', 'type', 'count'], rows)]);
}

function anomalies(s: TraceSummaryView): HTMLElement {
  return section(`Anomalies (${s.anomalyCount})`, [
    table(['time', 'object', 'what'], s.anomalies.map((a) => [iso(a.ts), a.objectKey, a.message])),
    ...more(s.anomalyCount, s.anomalies.length),
  ]);
}

/** The user's notes, as written (textContent: a note may come from someone else's trace). */
function notes(s: TraceSummaryView): HTMLElement[] {
  if (!s.notes || !s.noteCount) return [];
  const rows = s.notes.map((n): Cell[] => [iso(n.ts), n.objectKey, n.eventType === undefined ? '(the object)' : n.eventType || '(no type)', n.text]);
  return [section(`Notes (${s.noteCount})`, [table(['time', 'object', 'on', 'note'], rows), ...more(s.noteCount, s.notes.length)])];
}

function invalidLines(s: TraceSummaryView): HTMLElement {
  const title = `Invalid lines (${s.invalidLineCount})`;
  if (s.invalidLineCount === 0 && !s.streamError) return section(title, [el('p', 'none', 'muted')]);
  const bad = [table(['line', 'reason'], s.invalidLines.map((b) => [b.line, b.reason])), ...more(s.invalidLineCount, s.invalidLines.length)];
  if (s.streamError) bad.unshift(el('p', s.streamError, 'warning'));
  return section(title, bad);
}
