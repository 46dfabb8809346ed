// This page's channel to the extension host (src/webview/pageChannel.ts), with its own schema.
import { toDiffPageSchema, type FromDiffPage, type ToDiffPage } from '../../shared/diffProtocol';
import { connectPage, type PageChannel } from '../common/pageChannel';

export type HostChannel = PageChannel<ToDiffPage, FromDiffPage>;

export function connectToHost(): HostChannel {
  return connectPage<ToDiffPage, FromDiffPage>(toDiffPageSchema);
}
