// The few element builders the summary needs. Every text goes in with textContent: file
// names, event types and reasons come from the trace and may hold markup.

export type Cell = string | number;

export function el(tag: string, text?: Cell, className?: string): HTMLElement {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

export function section(title: string, children: readonly HTMLElement[]): HTMLElement {
  const s = el('section');
  s.append(el('h2', title), ...children);
  return s;
}

/** A table with one header row; numbers are right-aligned (class `number`). */
export function table(headers: readonly string[], rows: readonly (readonly Cell[])[]): HTMLElement {
  const t = el('table');
  const head = el('tr');
  for (const h of headers) head.append(el('th', h));
  t.append(head);
  for (const row of rows) {
    const tr = el('tr');
    for (const cell of row) tr.append(el('td', cell, typeof cell === 'number' ? 'number' : undefined));
    t.append(tr);
  }
  return t;
}

/** "… and N more" under a list the host cut; nothing when every entry is shown. */
export function more(total: number, shown: number): HTMLElement[] {
  return total > shown ? [el('p', `… and ${total - shown} more (nkmedia-inspect stats FILE lists them all)`, 'muted')] : [];
}
