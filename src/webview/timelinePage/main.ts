// Entry point of the timeline webview (bundled to dist/webview/timeline.js). Builds the page,
// connects to the host and says ready: the host sends nothing before that.
import { buildDom } from './dom';
import { connectToHost } from './hostChannel';
import { bindInteractions } from './interactions';
import { TimelineController } from './timelineController';

function start(): void {
  const host = connectToHost();
  const dom = buildDom(document.getElementById('root') ?? document.body);
  const sourceId = document.body.dataset.sourceId ?? '';
  const controller = new TimelineController(dom, host, sourceId);
  bindInteractions(dom, controller);
  host.onMessage((message) => controller.handle(message));
  host.post({ type: 'ready' });
}

start();
