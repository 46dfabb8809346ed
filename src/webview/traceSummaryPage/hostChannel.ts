// The summary page's side of the channel to the extension host: typed messages out, and
// messages in checked against the shared schema before the page acts on them.
import { toTraceSummaryPageSchema, type FromTraceSummaryPage, type ToTraceSummaryPage } from '../../shared/traceSummaryProtocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface HostChannel {
  post(message: FromTraceSummaryPage): void;
  onMessage(handler: (message: ToTraceSummaryPage) => void): void;
}

export function connectToHost(): HostChannel {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    onMessage: (handler) => {
      window.addEventListener('message', (event: MessageEvent) => {
        // Only the host posts to this window; still, a message of another shape is dropped
        // rather than half rendered.
        const parsed = toTraceSummaryPageSchema.safeParse(event.data);
        if (parsed.success) handler(parsed.data);
      });
    },
  };
}
