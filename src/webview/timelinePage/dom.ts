// Builds the page: toolbar, canvas, side pane (legend, details), tooltip and the aria-live
// region. Elements are created with the DOM API; event content only ever goes into
// `textContent`.
import { FILTER_SYNTAX_HELP } from '../../shared/filterSyntax';
import { KEY_HELP, shortcutOf } from './input/keymap';

export interface TimelineDom {
  readonly root: HTMLElement;
  readonly toolbar: HTMLElement;
  readonly fit: HTMLButtonElement;
  readonly zoomIn: HTMLButtonElement;
  readonly zoomOut: HTMLButtonElement;
  readonly follow: HTMLButtonElement;
  readonly relative: HTMLButtonElement;
  readonly filterText: HTMLInputElement;
  readonly filterType: HTMLSelectElement;
  readonly filterSubclass: HTMLSelectElement;
  readonly status: HTMLElement;
  readonly plot: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  readonly scroller: HTMLElement;
  readonly scrollSpacer: HTMLElement;
  readonly tooltip: HTMLElement;
  readonly message: HTMLElement;
  /** "Nothing in this window" over an empty plot, with its own Fit all. */
  readonly emptyNote: HTMLElement;
  readonly emptyNoteText: HTMLElement;
  readonly emptyNoteFit: HTMLButtonElement;
  readonly legend: HTMLElement;
  readonly details: HTMLElement;
  readonly detailsSummary: HTMLElement;
  readonly detailsJson: HTMLElement;
  /** The user's notes on the selected event, one per line (text only). */
  readonly detailsNotes: HTMLElement;
  /** "Bookmark…": the host asks for a note on the selected event. */
  readonly bookmark: HTMLButtonElement;
  readonly announcer: HTMLElement;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}

function iconButton(icon: string, label: string, keys: string): HTMLButtonElement {
  const button = el('button', 'icon-button');
  button.type = 'button';
  button.title = `${label} (${keys})`;
  button.setAttribute('aria-label', label);
  button.setAttribute('aria-keyshortcuts', keys);
  button.append(el('span', `codicon codicon-${icon}`));
  return button;
}

export function buildDom(container: HTMLElement): TimelineDom {
  const root = el('div', 'timeline');
  const toolbar = el('div', 'toolbar');
  toolbar.setAttribute('role', 'toolbar');
  toolbar.setAttribute('aria-label', 'Timeline tools');
  const fit = iconButton('screen-full', 'Fit all', shortcutOf('fitAll'));
  const zoomIn = iconButton('zoom-in', 'Zoom in', shortcutOf('zoomIn'));
  const zoomOut = iconButton('zoom-out', 'Zoom out', shortcutOf('zoomOut'));
  const follow = iconButton('pin', 'Follow live events', shortcutOf('toggleFollow'));
  follow.setAttribute('aria-pressed', 'false');
  const relative = iconButton('history', 'Time relative to the selected object', shortcutOf('toggleRelative'));
  relative.setAttribute('aria-pressed', 'false');

  const filterText = el('input', 'filter-text');
  filterText.type = 'search';
  filterText.placeholder = 'Filter: text, user:name';
  filterText.title = FILTER_SYNTAX_HELP;
  filterText.setAttribute('aria-label', 'Filter events by text, or by user with user:name');
  const filterType = el('select', 'filter-type');
  filterType.setAttribute('aria-label', 'Filter by event type');
  const filterSubclass = el('select', 'filter-subclass');
  filterSubclass.setAttribute('aria-label', 'Filter by subclass');
  const status = el('span', 'status');

  const filterIcon = el('span', 'codicon codicon-filter filter-icon');
  filterIcon.setAttribute('aria-hidden', 'true');
  toolbar.append(fit, zoomIn, zoomOut, follow, relative, el('span', 'separator'), filterIcon, filterText, filterType, filterSubclass, status);

  const main = el('div', 'main');
  const plot = el('div', 'plot');
  const canvas = el('canvas', 'canvas');
  canvas.tabIndex = 0;
  canvas.setAttribute('role', 'application');
  canvas.setAttribute('aria-roledescription', 'timeline');
  canvas.setAttribute('aria-label', 'Timeline of sessions, rooms and calls');
  const help = el('p', 'sr-only', KEY_HELP);
  help.id = 'timeline-keys';
  canvas.setAttribute('aria-describedby', help.id);
  const scroller = el('div', 'scroller');
  scroller.setAttribute('aria-hidden', 'true');
  const scrollSpacer = el('div', 'scroll-spacer');
  scroller.append(scrollSpacer);
  const tooltip = el('div', 'tooltip');
  tooltip.setAttribute('role', 'tooltip');
  tooltip.hidden = true;
  const message = el('div', 'message');
  message.hidden = true;
  const emptyNote = el('div', 'empty-note');
  emptyNote.setAttribute('role', 'status');
  emptyNote.hidden = true;
  const emptyNoteText = el('span', 'empty-note-text');
  const emptyNoteFit = el('button', 'empty-note-fit', 'Fit all');
  emptyNoteFit.type = 'button';
  emptyNote.append(emptyNoteText, emptyNoteFit);
  plot.append(canvas, scroller, tooltip, message, emptyNote, help);

  const side = el('aside', 'side');
  const legendSection = el('section', 'legend-section');
  legendSection.setAttribute('aria-label', 'Legend');
  legendSection.append(el('h2', undefined, 'Legend'));
  const legend = el('ul', 'legend');
  legendSection.append(legend);
  const details = el('section', 'details');
  details.setAttribute('aria-label', 'Selected event');
  const detailsHeader = el('div', 'details-header');
  const bookmark = el('button', 'bookmark-button');
  bookmark.type = 'button';
  bookmark.title = `Add a note on the selected event (${shortcutOf('bookmark')})`;
  bookmark.setAttribute('aria-keyshortcuts', shortcutOf('bookmark'));
  bookmark.disabled = true;
  bookmark.append(el('span', 'codicon codicon-bookmark'), el('span', undefined, 'Bookmark…'));
  detailsHeader.append(el('h2', undefined, 'Selected event'), bookmark);
  details.append(detailsHeader);
  const detailsSummary = el('p', 'details-summary', 'Click a mark to see its event.');
  const detailsNotes = el('ul', 'details-notes');
  detailsNotes.setAttribute('aria-label', 'Notes on this event');
  detailsNotes.hidden = true;
  const detailsJson = el('pre', 'details-json');
  detailsJson.tabIndex = 0;
  detailsJson.setAttribute('aria-label', 'Event JSON');
  details.append(detailsSummary, detailsNotes, detailsJson);
  side.append(legendSection, details);
  main.append(plot, side);

  const announcer = el('div', 'sr-only');
  announcer.setAttribute('aria-live', 'polite');
  announcer.setAttribute('role', 'status');
  announcer.className = 'sr-only announcer';

  root.append(toolbar, main, announcer);
  container.append(root);
  return {
    root, toolbar, fit, zoomIn, zoomOut, follow, relative, filterText, filterType, filterSubclass, status,
    plot, canvas, scroller, scrollSpacer, tooltip, message, emptyNote, emptyNoteText, emptyNoteFit, legend, details, detailsSummary, detailsJson, detailsNotes, bookmark, announcer,
  };
}
