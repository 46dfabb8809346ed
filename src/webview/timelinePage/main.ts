// Entry point of the timeline webview (bundled to dist/webview/timeline.js). Builds the page,
// connects to the host and says ready: the host sends nothing before that.
import { buildDom } from './dom';
import { connectToHost } from './hostChannel';
import { bindInput } from './input/bindInput';
import { TimelineApp } from './timelineApp';

function start(): void {
  const host = connectToHost();
  const dom = buildDom(document.getElementById('root') ?? document.body);
  const sourceId = document.body.dataset.sourceId ?? '';
  const app = new TimelineApp(dom, host, sourceId);
  bindInput(dom, app);
  host.onMessage((message) => app.handle(message));
  host.post({ type: 'ready' });
}

start();
