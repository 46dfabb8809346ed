// One entry point for every export format, shared by `nkmedia-inspect export` and the
// "NkMEDIA: Export…" command: the format, the objects, where it goes.
import type { EventStore } from '../core';
import { exportChromeTrace } from './exportChromeTrace';
import { exportCsv } from './exportCsv';
import { exportMermaid } from './exportMermaid';
import type { TraceHeader } from './traceFileFormat';
import { relatedObjectKeys } from './relatedObjects';
import type { TextOutput } from './textOutput';

export const EXPORT_FORMATS = ['chrome-trace', 'mermaid', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The usual file extension of each format. */
export const EXPORT_EXTENSIONS: Record<ExportFormat, string> = {
  'chrome-trace': '.json',
  mermaid: '.mmd',
  csv: '.csv',
};

export interface TraceExportOptions {
  format: ExportFormat;
  /**
   * One object: with the objects related to it. Required for mermaid; for the other formats
   * it narrows the export, undefined exports everything.
   */
  objectKey?: string;
  /**
   * Exactly these objects (e.g. a scope of "Export…": the filtered ones); wins over the related
   * objects of `objectKey`, which a diagram still centres on.
   */
  objectKeys?: readonly string[];
  /** The trace's name, e.g. its file name (Chrome trace process name). */
  title: string;
  header?: TraceHeader;
  signal?: AbortSignal;
  /** Events written so far of the total (Chrome trace and CSV; a diagram is small). */
  onProgress?: (events: number, total: number) => void;
}

/** Writes the export to `out` (the caller closes it); returns how many events it covers. */
export async function writeTraceExport(store: EventStore, out: TextOutput, options: TraceExportOptions): Promise<number> {
  const objectKeys = options.objectKeys ?? (options.objectKey === undefined ? undefined : relatedObjectKeys(store, options.objectKey));
  const { signal, onProgress } = options;
  switch (options.format) {
    case 'chrome-trace':
      return exportChromeTrace(store, out, { title: options.title, objectKeys, metadata: options.header ? { header: options.header } : undefined, signal, onProgress });
    case 'csv':
      return exportCsv(store, out, { objectKeys, signal, onProgress });
    case 'mermaid': {
      if (options.objectKey === undefined) throw new Error('a Mermaid diagram is of one object: choose it');
      await out.write(exportMermaid(store, options.objectKey));
      return (objectKeys ?? []).reduce((sum, key) => sum + store.eventCountOf(key), 0);
    }
  }
}
