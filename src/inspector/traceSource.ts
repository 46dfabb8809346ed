// A loaded trace file as a source: its own store, filled once, named after the file. It sits
// in the tree beside live connections and is closed like them (SourceRegistry.remove).
import * as path from 'path';
import type { EventStore } from '../core';
import { Emitter } from '../shared/events';
import type { TraceHeader } from '../trace/traceFileFormat';
import type { InvalidLine, LoadedTrace } from '../trace/loadTrace';
import type { ServerInfo, Source, SourceStatus } from './source';

export class TraceSource implements Source {
  readonly kind = 'trace' as const;
  readonly id: string;
  readonly name: string;
  readonly filePath: string;
  readonly header: TraceHeader;
  readonly store: EventStore;
  readonly invalidLineCount: number;
  readonly invalidLines: readonly InvalidLine[];
  readonly status: SourceStatus;
  /** The era as the header names it, or as detected from the events of an older trace. */
  readonly server: ServerInfo;
  // A trace never changes status; the emitter exists because every source has one.
  private readonly _onDidChangeStatus = new Emitter<SourceStatus>();
  readonly onDidChangeStatus = this._onDidChangeStatus.event;

  constructor(id: string, loaded: LoadedTrace) {
    this.id = id;
    this.name = path.basename(loaded.filePath);
    this.filePath = loaded.filePath;
    this.header = loaded.header;
    this.store = loaded.store;
    this.invalidLineCount = loaded.invalidLineCount;
    this.invalidLines = loaded.invalidLines;
    this.server = { dialect: loaded.dialect, refusedSubscriptions: [] };
    const bad = loaded.invalidLineCount > 0 ? `, ${loaded.invalidLineCount} bad line${loaded.invalidLineCount === 1 ? '' : 's'} skipped` : '';
    this.status = { kind: 'loaded', detail: `${loaded.events} events from ${loaded.filePath}${bad}` };
  }

  /** Names a source after its file: `capture.nkmtrace`. */
  static nameFor(filePath: string): string {
    return path.basename(filePath);
  }

  eventRate(): number {
    return 0;
  }

  dispose(): void {
    this.store.dispose();
    this._onDidChangeStatus.dispose();
  }
}
