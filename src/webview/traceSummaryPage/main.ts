// Entry point of the trace editor's summary page (bundled to dist/webview/traceSummary.js).
// The HTML skeleton (src/trace/summaryHtml.ts) holds the title and the two buttons; this
// fills in the rest from what the host sends, and says ready: the host sends nothing before.
import { el } from './elements';
import { connectToHost } from './hostChannel';
import { renderSummary } from './render';

const BUTTON_IDS = ['showTimeline', 'openInInspector'] as const;

function start(): void {
  const host = connectToHost();
  const root = document.getElementById('root') ?? document.body;
  const buttons = BUTTON_IDS.map((id) => {
    const button = document.getElementById(id);
    if (!(button instanceof HTMLButtonElement)) throw new Error(`the page has no #${id} button`);
    button.addEventListener('click', () => host.post({ type: id }));
    return button;
  });

  host.onMessage((message) => {
    switch (message.type) {
      case 'loading':
        root.replaceChildren(el('p', `Reading the trace… ${Math.floor(message.percent)}%`));
        break;
      case 'summary':
        root.replaceChildren(...renderSummary(message.summary));
        // The buttons load the trace as a source: offered once it reads.
        for (const button of buttons) button.disabled = false;
        break;
      case 'error':
        root.replaceChildren(el('p', message.message, 'error'));
        break;
    }
  });
  host.post({ type: 'ready' });
}

start();
