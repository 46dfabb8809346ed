// The toolbar's state and the page's words: the status line, the pressed state of Follow
// and Relative, the message over the plot (a closed source), the "nothing in this window"
// note, and the aria-live announcer that speaks what keys and clicks did.
import type { SourceInfo } from '../../../shared/timelineProtocol';
import type { TimelineDom } from '../dom';

export class Toolbar {
  constructor(private readonly dom: TimelineDom) {}

  status(source: SourceInfo | undefined, objects: number, events: number, loading: boolean): void {
    if (!source) return;
    this.dom.status.textContent = `${source.name} · ${source.status} · ${objects} objects · ${events} events${loading ? ' · loading…' : ''}`;
  }

  pressed(follow: boolean, relative: boolean): void {
    setPressed(this.dom.follow, follow);
    setPressed(this.dom.relative, relative);
  }

  message(text: string | undefined): void {
    this.dom.message.hidden = text === undefined;
    this.dom.message.textContent = text ?? '';
    if (text) this.announce(text);
  }

  /** Over an empty plot: why nothing is drawn (the Fit all button is bound by the input). */
  emptyNote(text: string | undefined): void {
    if (text !== undefined && this.dom.emptyNoteText.textContent !== text) this.dom.emptyNoteText.textContent = text;
    this.dom.emptyNote.hidden = text === undefined;
  }

  announce(text: string): void {
    // Re-setting the same text would not be announced again: clear first.
    this.dom.announcer.textContent = '';
    this.dom.announcer.textContent = text;
  }
}

function setPressed(button: HTMLButtonElement, on: boolean): void {
  button.setAttribute('aria-pressed', String(on));
  button.classList.toggle('active', on);
}
