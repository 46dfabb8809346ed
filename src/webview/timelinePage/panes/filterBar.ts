// The toolbar's filter: a text box in the tree's syntax (text and user:…) and two selects
// (event type, subclass). What the user types goes to the host, which owns the filter and
// answers with a fresh `init` that carries it; the bar then shows the host's filter.
import { formatFilter, parseFilter } from '../../../shared/filterSyntax';
import type { TimelineEventType, TimelineFilter } from '../../../shared/timelineProtocol';
import type { TimelineDom } from '../dom';

const FILTER_DELAY_MS = 300;

export class FilterBar {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly dom: TimelineDom,
    onChange: (filter: TimelineFilter) => void,
  ) {
    const changed = () => {
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = setTimeout(() => {
        this.timer = undefined;
        onChange(this.read());
      }, FILTER_DELAY_MS);
    };
    dom.filterText.addEventListener('input', changed);
    dom.filterType.addEventListener('change', changed);
    dom.filterSubclass.addEventListener('change', changed);
  }

  /** Shows the host's filter; the text box is left alone while the user types in it. */
  show(filter: TimelineFilter): void {
    if (document.activeElement !== this.dom.filterText) this.dom.filterText.value = formatFilter({ text: filter.text, users: filter.users, span: filter.span });
    setSelect(this.dom.filterType, filter.types?.[0] ?? '');
    setSelect(this.dom.filterSubclass, filter.subclasses?.[0] ?? '');
  }

  /** The selects list the types and subclasses the data has; the choices made stay. */
  setTypes(types: readonly TimelineEventType[]): void {
    const typeSelect = this.dom.filterType;
    const subclassSelect = this.dom.filterSubclass;
    const currentType = typeSelect.value;
    const currentSubclass = subclassSelect.value;
    const typeNames = [...new Set(types.map((t) => t.name))].sort();
    const subclasses = [...new Set(['session', 'room', 'call', ...types.map((t) => t.subclass)])];
    fillSelect(typeSelect, 'All types', typeNames);
    fillSelect(subclassSelect, 'All subclasses', subclasses.filter((s) => s !== ''));
    setSelect(typeSelect, currentType);
    setSelect(subclassSelect, currentSubclass);
  }

  private read(): TimelineFilter {
    const typed = parseFilter(this.dom.filterText.value);
    const type = this.dom.filterType.value;
    const subclass = this.dom.filterSubclass.value;
    const filter: TimelineFilter = {};
    if (typed.text) filter.text = typed.text;
    if (typed.users) filter.users = typed.users;
    if (typed.span) filter.span = typed.span;
    const types = [...(typed.types ?? []), ...(type ? [type] : [])];
    const subclasses = [...(typed.subclasses ?? []), ...(subclass ? [subclass] : [])];
    if (types.length) filter.types = types;
    if (subclasses.length) filter.subclasses = subclasses;
    return filter;
  }
}

/** Selects `value`, adding it as an option when the list does not have it (yet). */
function setSelect(select: HTMLSelectElement, value: string): void {
  if (value !== '' && !Array.from(select.options).some((o) => o.value === value)) {
    const option = document.createElement('option');
    option.value = value;
    option.textContent = value;
    select.append(option);
  }
  select.value = value;
}

function fillSelect(select: HTMLSelectElement, allLabel: string, values: readonly string[]): void {
  select.replaceChildren();
  const all = document.createElement('option');
  all.value = '';
  all.textContent = allLabel;
  select.append(all);
  for (const value of values) {
    const option = document.createElement('option');
    option.value = value;
    option.textContent = value;
    select.append(option);
  }
}
