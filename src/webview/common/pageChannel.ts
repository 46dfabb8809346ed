// A page's side of the channel to the extension host (the trace summary, compare and
// durations pages): typed messages out, and messages in checked against the page's schema
// before it acts on them. Only the host posts to a webview's window; still, a message of
// another shape is dropped rather than half rendered.

interface VsCodeApi {
  postMessage(message: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface PageChannel<In, Out> {
  post(message: Out): void;
  onMessage(handler: (message: In) => void): void;
}

/** What a zod schema (classic or mini) offers: enough to check a message. */
interface MessageSchema<In> {
  safeParse(data: unknown): { success: true; data: In } | { success: false };
}

/** Call once per page: VS Code hands out its API once. */
export function connectPage<In, Out>(schema: MessageSchema<In>): PageChannel<In, Out> {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    onMessage: (handler) => {
      window.addEventListener('message', (event: MessageEvent) => {
        const parsed = schema.safeParse(event.data);
        if (parsed.success) handler(parsed.data);
      });
    },
  };
}
