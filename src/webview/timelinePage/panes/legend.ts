// The legend: one line per colour of mark present in the data, then the bars, gaps and signs
// the canvas draws. Swatches take the canvas's own colours (the palette), so legend and plot
// agree in every theme: the CSS colours had ended and alive lifetimes in the same blue in
// Light 2026.
import type { TimelineEventType } from '../../../shared/timelineProtocol';
import type { Palette } from '../theme/palette';
import { COLOR_ROLES, colorRoleOf, ROLE_LABELS, type ColorRole } from '../theme/typeColors';

const EXTRAS: ReadonlyArray<readonly [kind: string, text: string]> = [
  ['bar', 'lifetime (ended)'],
  ['bar-alive', 'lifetime (still alive)'],
  ['fault', 'ended with a fault (code, reason)'],
  ['declined', 'call declined: rejected, not answered, cancelled'],
  ['gap', 'connection lost'],
  ['anomaly', 'anomaly'],
  ['link', 'listener → publisher'],
  ['note', 'a note (B adds one on the selected event)'],
];

export function renderLegend(legend: HTMLElement, types: readonly TimelineEventType[], palette: Palette): void {
  legend.replaceChildren();
  const present = new Map<ColorRole, string[]>();
  for (const t of types) {
    const role = colorRoleOf(t);
    const list = present.get(role) ?? [];
    list.push(t.name);
    present.set(role, list);
  }
  for (const role of COLOR_ROLES) {
    const names = present.get(role);
    if (!names) continue;
    const swatch = span('swatch');
    swatch.style.backgroundColor = palette.roles[role];
    legend.append(item(swatch, `${ROLE_LABELS[role]}: ${names.map((n) => n.split('/').slice(1).join('/')).join(', ')}`));
  }
  const swatchColor: Record<string, string> = {
    bar: palette.bar,
    'bar-alive': palette.barAlive,
    fault: palette.error,
    declined: palette.declined,
    gap: palette.gap,
    link: palette.link,
    note: palette.focus,
  };
  for (const [kind, text] of EXTRAS) {
    const swatch = span(`swatch swatch-${kind}`);
    if (swatchColor[kind]) swatch.style.backgroundColor = swatchColor[kind];
    if (kind === 'anomaly') swatch.style.borderTopColor = palette.warning;
    legend.append(item(swatch, text));
  }
  // The signs the canvas draws beside names, drawn here the same way (codicon or glyph, colour).
  const signs: ReadonlyArray<readonly [sign: string, color: string, text: string]> = [
    ['codicon codicon-error', palette.error, 'beside a name: it ended with a fault'],
    ['codicon codicon-warning', palette.warning, 'beside a name: an anomaly (see its tooltip)'],
    ['↑', palette.publisher, 'a room member that publishes'],
    ['↓', palette.listener, 'a room member that listens to a publisher'],
  ];
  for (const [sign, color, text] of signs) {
    const isIcon = sign.startsWith('codicon');
    const mark = span(isIcon ? `legend-sign ${sign}` : 'legend-sign');
    if (!isIcon) mark.textContent = sign;
    mark.style.color = color;
    mark.setAttribute('aria-hidden', 'true');
    legend.append(item(mark, text));
  }
}

function span(className: string): HTMLSpanElement {
  const element = document.createElement('span');
  element.className = className;
  return element;
}

function item(swatch: HTMLElement, text: string): HTMLLIElement {
  const li = document.createElement('li');
  const label = document.createElement('span');
  label.textContent = text;
  li.append(swatch, label);
  return li;
}
