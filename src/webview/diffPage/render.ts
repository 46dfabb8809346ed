// The compare page's content, built from the view the host sent: the two sides' headers, the
// summary, then one table row per step in two column groups (A left, B right) with the delta
// between them, and under each shared step the body fields that differ. Every text goes in
// with textContent: types, ids, paths and values come from a server or a trace.
import type { DiffRowView, DiffSideView, DiffStepEvent, DiffView } from '../../shared/diffProtocol';

export type RevealHandler = (side: 'A' | 'B', seq: number) => void;

function el(tag: string, text?: string, className?: string): HTMLElement {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

/** Text for screen readers only (the marks − and + are drawn, and hidden from them). */
const srOnly = (text: string) => el('span', text, 'sr-only');

export function renderDiff(view: DiffView, reveal: RevealHandler): HTMLElement[] {
  const sides = el('div', undefined, 'sides');
  sides.append(sideCard(view.a), sideCard(view.b));
  const out: HTMLElement[] = [sides, el('p', view.summary, 'summary')];
  for (const note of view.notes) out.push(el('p', note, 'note'));
  out.push(stepsTable(view, reveal));
  if (view.moreRows > 0) out.push(el('p', `… and ${view.moreRows} more steps (nkmedia-inspect diff --json lists them all)`, 'muted'));
  return out;
}

function sideCard(side: DiffSideView): HTMLElement {
  const card = el('section', undefined, `side side-${side.label.toLowerCase()}`);
  card.setAttribute('aria-label', `${side.label}: ${side.title} in ${side.source}`);
  const heading = el('h2');
  heading.append(el('span', side.label, 'side-label'), el('span', side.title, 'side-title'));
  const source = el('p', undefined, 'side-source');
  const icon = el('span', undefined, `codicon ${side.live ? 'codicon-broadcast' : 'codicon-file'}`);
  icon.setAttribute('aria-hidden', 'true');
  source.append(icon, el('span', `${side.source}${side.live ? ' (live)' : ''}`));
  card.append(heading, source, el('p', side.detail, 'side-detail'), el('p', side.key, 'side-key'));
  return card;
}

const HEADERS: ReadonlyArray<{ text: string; className: string; sr?: boolean }> = [
  { text: 'In both, only in A or only in B', className: 'mark', sr: true },
  { text: 'A step', className: 'a' },
  { text: 'A time', className: 'a num' },
  { text: 'Δ (B − A)', className: 'delta num' },
  { text: 'B step', className: 'b' },
  { text: 'B time', className: 'b num' },
];

function stepsTable(view: DiffView, reveal: RevealHandler): HTMLElement {
  const table = el('table', undefined, 'steps');
  table.setAttribute('aria-label', `Steps of A (${view.a.title}) and B (${view.b.title}), aligned by meaning`);
  const head = el('thead');
  const headRow = el('tr');
  for (const h of HEADERS) {
    const th = el('th', undefined, h.className);
    th.setAttribute('scope', 'col');
    if (h.sr) th.append(srOnly(h.text));
    else th.textContent = h.text;
    headRow.append(th);
  }
  head.append(headRow);
  const body = el('tbody');
  for (const row of view.rows) body.append(...rowElements(row, reveal));
  table.append(head, body);
  return table;
}

const MARKS: Record<DiffRowView['side'], { mark: string; said: string }> = {
  both: { mark: '', said: 'in both' },
  onlyA: { mark: '−', said: 'only in A' },
  onlyB: { mark: '+', said: 'only in B' },
};

function rowElements(row: DiffRowView, reveal: RevealHandler): HTMLElement[] {
  const tr = el('tr', undefined, `step ${row.side}${row.fields.length > 0 ? ' has-fields' : ''}`);
  const mark = el('td', undefined, 'mark');
  const { mark: sign, said } = MARKS[row.side];
  const drawn = el('span', sign);
  drawn.setAttribute('aria-hidden', 'true');
  mark.append(drawn, srOnly(said));
  tr.append(mark, ...eventCells('A', row.a, reveal), el('td', row.delta ?? '', 'delta num'), ...eventCells('B', row.b, reveal));
  const rows = [tr];
  for (const field of row.fields) {
    const fr = el('tr', undefined, 'field');
    fr.append(el('td', '', 'mark'), valueCell('a', field.path, field.a), el('td', '≠', 'delta field-sign'), valueCell('b', field.path, field.b));
    (fr.children[2] as HTMLElement).setAttribute('aria-label', 'differs');
    rows.push(fr);
  }
  if (row.moreFields > 0) {
    const more = el('tr', undefined, 'field more');
    const cell = el('td', `… and ${row.moreFields} more field differences`, 'muted');
    cell.setAttribute('colspan', '6');
    more.append(cell);
    rows.push(more);
  }
  return rows;
}

/** The step's type (a button that reveals the event in the tree) and its time; empty cells for the side that lacks it. */
function eventCells(label: 'A' | 'B', event: DiffStepEvent | undefined, reveal: RevealHandler): HTMLElement[] {
  const side = label.toLowerCase();
  if (!event) return [el('td', '', `${side} absent`), el('td', '', `${side} num absent`)];
  const type = el('td', undefined, side);
  const button = el('button', event.type, 'step-link');
  button.setAttribute('type', 'button');
  button.setAttribute('aria-label', `${label}: ${event.type} at ${event.offset}, event #${event.seq}: reveal in the tree`);
  button.title = `Reveal event #${event.seq} of ${label} in the NkMEDIA view`;
  button.addEventListener('click', () => reveal(label, event.seq));
  type.append(button);
  return [type, el('td', event.offset, `${side} num`)];
}

function valueCell(side: 'a' | 'b', path: string, value: string): HTMLElement {
  const td = el('td', undefined, `${side} value`);
  td.setAttribute('colspan', '2');
  // The space: copied text reads `path value`, as the terminal form does.
  td.append(el('span', path, 'path'), ' ', el('span', value, value === '(absent)' ? 'field-value absent-value' : 'field-value'));
  return td;
}
