// Entry point of the "Compare Objects" page (bundled to dist/webview/diff.js). The skeleton
// (src/trace/diffHtml.ts) holds the title and the Refresh button; this draws what the host
// sends and says ready: the host sends nothing before.
import { connectToHost } from './hostChannel';
import { renderDiff } from './render';

function start(): void {
  const host = connectToHost();
  const root = document.getElementById('root') ?? document.body;
  const announcer = document.getElementById('announcer');
  const refresh = document.getElementById('refresh');
  refresh?.addEventListener('click', () => host.post({ type: 'refresh' }));

  host.onMessage((message) => {
    if (message.type === 'error') {
      const p = document.createElement('p');
      p.className = 'error';
      p.textContent = message.message;
      root.replaceChildren(p);
      if (announcer) announcer.textContent = message.message;
      return;
    }
    root.replaceChildren(...renderDiff(message.view, (side, seq) => host.post({ type: 'reveal', side, seq })));
    // Said once per comparison, not the whole table: a screen reader reads the rows on demand.
    if (announcer) announcer.textContent = `Compared. ${message.view.summary}`;
  });
  host.post({ type: 'ready' });
}

start();
