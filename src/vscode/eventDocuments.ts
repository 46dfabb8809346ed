// Read-only JSON documents of single events: nkmedia-event:/<source>/<seq>.json. The content
// comes from the store each time it is asked for, so nothing is copied until it is opened.
import * as vscode from 'vscode';
import type { SourceRegistry } from '../inspector/sourceRegistry';
import { EVENT_DOCUMENT_SCHEME } from './ids';

export class EventDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly registry: SourceRegistry) {}

  static uriFor(sourceId: string, seq: number, type: string): vscode.Uri {
    return vscode.Uri.from({ scheme: EVENT_DOCUMENT_SCHEME, path: `/${encodeURIComponent(sourceId)}/${seq}-${type.replace(/[^\w.-]/g, '_')}.json` });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const [, sourcePart, file] = uri.path.split('/');
    const source = this.registry.get(decodeURIComponent(sourcePart ?? ''));
    const seq = Number.parseInt(file ?? '', 10);
    const event = source?.store.getEvent(seq);
    if (!source || !event) return `// event #${seq} is no longer in memory (evicted, cleared or its source was closed)\n`;
    return JSON.stringify({ seq: event.seq, ts: event.ts, time: new Date(event.ts).toISOString(), conn: event.conn, event: event.data }, null, 2) + '\n';
  }
}
