// The side pane's "Selected event" and the tooltip over marks. Both show event content,
// which may hold anything a server (or an attacker) put in an event: text only, never HTML.
// The tooltip's excerpt comes from the host on demand and is cached for the last marks.
import type { ToWebview } from '../../../shared/timelineProtocol';
import type { TimelineDom } from '../dom';

const EXCERPT_CACHE_SIZE = 500;
export const NO_SELECTION_TEXT = 'Click a mark to see its event.';

export type EventDetails = Extract<ToWebview, { type: 'eventDetails' }>;

/** What the tooltip says about a mark, before its excerpt arrives. */
export interface TooltipContent {
  readonly seq: number;
  readonly lines: readonly string[];
}

export class DetailsPane {
  private readonly excerpts = new Map<number, string>();
  private tooltipSeq: number | undefined;

  constructor(
    private readonly dom: TimelineDom,
    private readonly requestExcerpt: (seq: number) => void,
  ) {}

  /** `notes`: the user's notes on the event, shown above its JSON (as text). */
  show(summary: string, json: string, notes: readonly string[] = []): void {
    this.dom.detailsSummary.textContent = summary;
    this.dom.detailsJson.textContent = json;
    this.dom.detailsNotes.replaceChildren(
      ...notes.map((text) => {
        const item = document.createElement('li');
        item.textContent = `✎ ${text}`;
        return item;
      }),
    );
    this.dom.detailsNotes.hidden = notes.length === 0;
    // An event is shown: it can be bookmarked.
    this.dom.bookmark.disabled = json === '';
  }

  clear(text = NO_SELECTION_TEXT): void {
    this.show(text, '');
  }

  showTooltip(content: TooltipContent, clientX: number, clientY: number): void {
    const tooltip = this.dom.tooltip;
    tooltip.replaceChildren();
    for (const line of content.lines) {
      if (!line) continue;
      const div = document.createElement('div');
      div.textContent = line;
      tooltip.append(div);
    }
    const excerpt = document.createElement('div');
    excerpt.className = 'tooltip-excerpt';
    tooltip.append(excerpt);
    this.tooltipSeq = content.seq;
    const cached = this.excerpts.get(content.seq);
    if (cached !== undefined) excerpt.textContent = cached;
    else {
      excerpt.textContent = '…';
      this.requestExcerpt(content.seq);
    }
    tooltip.hidden = false;
    const plotRect = this.dom.plot.getBoundingClientRect();
    const x = Math.min(clientX - plotRect.left + 14, plotRect.width - tooltip.offsetWidth - 4);
    const y = Math.min(clientY - plotRect.top + 14, plotRect.height - tooltip.offsetHeight - 4);
    tooltip.style.left = `${Math.max(0, x)}px`;
    tooltip.style.top = `${Math.max(0, y)}px`;
  }

  hideTooltip(): void {
    this.tooltipSeq = undefined;
    this.dom.tooltip.hidden = true;
  }

  /** The host sent an event's excerpt: cache it, and show it if its tooltip is open. */
  onExcerpt(seq: number, text: string): void {
    if (this.excerpts.size >= EXCERPT_CACHE_SIZE) {
      const oldest = this.excerpts.keys().next().value;
      if (oldest !== undefined) this.excerpts.delete(oldest);
    }
    this.excerpts.set(seq, text);
    if (this.tooltipSeq !== seq) return;
    const excerpt = this.dom.tooltip.querySelector('.tooltip-excerpt');
    if (excerpt) excerpt.textContent = text;
  }
}
