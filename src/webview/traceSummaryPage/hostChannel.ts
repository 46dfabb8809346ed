// This page's channel to the extension host (src/webview/pageChannel.ts), with its own schema.
import { toTraceSummaryPageSchema, type FromTraceSummaryPage, type ToTraceSummaryPage } from '../../shared/traceSummaryProtocol';
import { connectPage, type PageChannel } from '../common/pageChannel';

export type HostChannel = PageChannel<ToTraceSummaryPage, FromTraceSummaryPage>;

export function connectToHost(): HostChannel {
  return connectPage<ToTraceSummaryPage, FromTraceSummaryPage>(toTraceSummaryPageSchema);
}
