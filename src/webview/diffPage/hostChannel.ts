// The compare page's side of the channel to the extension host: typed messages out, and
// messages in checked against the shared schema before the page acts on them.
import { toDiffPageSchema, type FromDiffPage, type ToDiffPage } from '../../shared/diffProtocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface HostChannel {
  post(message: FromDiffPage): void;
  onMessage(handler: (message: ToDiffPage) => void): void;
}

export function connectToHost(): HostChannel {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    onMessage: (handler) => {
      window.addEventListener('message', (event: MessageEvent) => {
        // Only the host posts to this window; still, a message of another shape is dropped
        // rather than half rendered.
        const parsed = toDiffPageSchema.safeParse(event.data);
        if (parsed.success) handler(parsed.data);
      });
    },
  };
}
