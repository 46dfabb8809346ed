// The Durations panel's page (bundled to dist/webview/durations.js): per span a bar chart,
// one bar per doubling of time, its count and percentiles, and its longest objects. A bar is
// a button: clicking it filters the tree and timelines to that bar's objects (the host sets
// the `span:` filter), clicking it again clears that. Every text goes in with textContent:
// object ids come from the server.
import { toDurationsPageSchema, type DurationSpanView, type DurationsPageModel, type FromDurationsPage, type ToDurationsPage } from '../../shared/durationsProtocol';
import { connectPage } from '../common/pageChannel';

/** Bars never shorter than this (px), so a bar of one object can still be clicked. */
const MIN_BAR_PX = 3;
const CHART_PX = 96;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  if (className) node.className = className;
  return node;
}

function start(): void {
  const host = connectPage<ToDurationsPage, FromDurationsPage>(toDurationsPageSchema);
  const post = (message: FromDurationsPage) => host.post(message);
  const root = document.getElementById('root') ?? document.body;
  host.onMessage((message) => {
    if (message.type === 'sourceGone') root.replaceChildren(el('p', message.message, 'muted'));
    else render(root, message.model, post);
  });
  post({ type: 'ready' });
}

function render(root: HTMLElement, model: DurationsPageModel, post: (m: FromDurationsPage) => void): void {
  const focusedId = document.activeElement instanceof HTMLElement ? document.activeElement.dataset.focusId : undefined;
  const header = el('header');
  header.append(el('h1', `Durations: ${model.sourceName}`));
  if (model.filter) {
    const filter = el('div', undefined, 'filter');
    filter.append(el('span', `Filter: ${model.filter}`));
    const clear = el('button', 'Clear', 'secondary');
    clear.dataset.focusId = 'clear';
    clear.addEventListener('click', () => post({ type: 'clearSelection' }));
    filter.append(clear);
    header.append(filter);
  }
  header.append(el('p', 'Click a bar to show only its objects in the tree and the timeline; click it again to show all.', 'muted'));
  root.replaceChildren(header, ...model.spans.map((span) => spanCard(span, post)));
  // A redraw while traffic flows must not take the keyboard focus away.
  if (focusedId) root.querySelector<HTMLElement>(`[data-focus-id="${CSS.escape(focusedId)}"]`)?.focus();
}

function spanCard(span: DurationSpanView, post: (m: FromDurationsPage) => void): HTMLElement {
  const card = el('section', undefined, 'span');
  card.setAttribute('aria-label', span.label);
  const title = el('h2', span.label);
  title.append(el('span', ` ${span.from} → ${span.to}`, 'muted'));
  card.append(title);
  if (span.count === 0) {
    card.append(el('p', `none measured yet${span.note ? ` (${span.note})` : ''}`, 'muted'));
    return card;
  }
  const figures = el('p', undefined, 'figures');
  figures.append(el('span', `${span.count.toLocaleString('en-US')} measured`));
  for (const p of span.percentiles) {
    const figure = el('span', undefined, 'figure');
    figure.append(el('b', p.name), document.createTextNode(` ${p.value}`));
    figures.append(figure);
  }
  card.append(figures, chart(span, post));
  if (span.types.length > 0) card.append(typeTable(span));
  if (span.outliers.length > 0) {
    card.append(el('h3', 'Longest'));
    const list = el('ul', undefined, 'outliers');
    for (const outlier of span.outliers) {
      const item = el('li');
      if (outlier.inStore) {
        const link = el('button', `${outlier.name} · ${outlier.duration}`, 'link');
        link.dataset.focusId = `outlier/${span.id}/${outlier.objectKey}`;
        link.title = `Reveal ${outlier.objectKey} in the tree`;
        link.addEventListener('click', () => post({ type: 'reveal', objectKey: outlier.objectKey }));
        item.append(link);
      } else {
        item.append(el('span', `${outlier.name} · ${outlier.duration} (no longer stored)`, 'muted'));
      }
      list.append(item);
    }
    card.append(list);
  }
  return card;
}

/** Sessions by type (rooms by class): one row each, the most measured first. */
function typeTable(span: DurationSpanView): HTMLElement {
  const table = el('table', undefined, 'types');
  table.setAttribute('aria-label', `${span.label} by type`);
  const head = el('tr');
  for (const h of ['type', 'count', 'p50', 'p90', 'p99', 'max']) head.append(el('th', h));
  table.append(head);
  for (const t of span.types) {
    const row = el('tr');
    row.append(el('td', t.type), el('td', t.count.toLocaleString('en-US'), 'number'), ...t.percentiles.map((p) => el('td', p.value, 'number')));
    table.append(row);
  }
  return table;
}

function chart(span: DurationSpanView, post: (m: FromDurationsPage) => void): HTMLElement {
  const figure = el('div', undefined, 'chart');
  const bars = el('div', undefined, 'bars');
  bars.setAttribute('role', 'group');
  bars.setAttribute('aria-label', `${span.label}: objects per doubling of time`);
  bars.style.height = `${CHART_PX}px`;
  const fullest = Math.max(...span.bars.map((b) => b.count));
  for (const bar of span.bars) {
    const button = el('button', undefined, bar.selected ? 'bar selected' : 'bar');
    button.style.height = `${bar.count === 0 ? 0 : Math.max(MIN_BAR_PX, Math.round((bar.count / fullest) * CHART_PX))}px`;
    const text = `${span.label} ${bar.range}: ${bar.count.toLocaleString('en-US')}`;
    button.title = bar.selected ? `${text}. Click to show all again.` : `${text}. Click to show only these.`;
    button.setAttribute('aria-label', text);
    button.setAttribute('aria-pressed', String(bar.selected));
    button.dataset.focusId = `bar/${span.id}/${bar.fromMs}`;
    button.disabled = bar.count === 0;
    button.addEventListener('click', () =>
      post(bar.selected ? { type: 'clearSelection' } : { type: 'selectBar', span: span.id, fromMs: bar.fromMs, toMs: Number.isFinite(bar.toMs) ? bar.toMs : null }),
    );
    bars.append(button);
  }
  const axis = el('div', undefined, 'axis');
  const first = span.bars[0];
  const last = span.bars[span.bars.length - 1];
  axis.append(el('span', first.range.split(' – ')[0]), el('span', last.range.split(' – ')[1]));
  figure.append(bars, axis);
  return figure;
}

start();
