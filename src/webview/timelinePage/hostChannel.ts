// The webview's side of the channel to the extension host: typed messages out, typed
// messages in, and the small view state VS Code keeps across reloads.
import type { FromWebview, TimelineViewState, ToWebview } from '../../shared/timelineProtocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface HostChannel {
  post(message: FromWebview): void;
  getState(): Partial<TimelineViewState> | undefined;
  setState(state: TimelineViewState): void;
  onMessage(handler: (message: ToWebview) => void): void;
}

export function connectToHost(): HostChannel {
  const api = acquireVsCodeApi();
  return {
    post: (message) => api.postMessage(message),
    getState: () => {
      const state = api.getState();
      return state && typeof state === 'object' ? (state as Partial<TimelineViewState>) : undefined;
    },
    setState: (state) => api.setState(state),
    onMessage: (handler) => {
      window.addEventListener('message', (event: MessageEvent) => {
        const data = event.data as { type?: unknown } | null;
        // Only the host posts to this window; still, ignore anything without a type.
        if (data && typeof data === 'object' && typeof data.type === 'string') handler(data as ToWebview);
      });
    },
  };
}
