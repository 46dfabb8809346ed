// Events as CSV (RFC 4180: comma separated, CRLF line ends, a field with a comma, quote, CR
// or LF is quoted and its quotes doubled), one row per event, oldest first.
//
// Cells that a spreadsheet would run as a formula (text starting with = + - @, tab or CR) get
// a leading apostrophe: trace text comes from a server and must not become live formulas in
// Excel or LibreOffice. Numeric columns and the body JSON are never touched.
import type { EventStore } from '../core';
import { throwIfCancelled } from './reader';
import type { TextOutput } from './textOutput';

export const CSV_COLUMNS = ['seq', 'time', 'ts', 'conn', 'class', 'subclass', 'type', 'obj_id', 'service', 'code', 'reason', 'body'] as const;
const CHECK_EVERY = 4096;

export interface CsvOptions {
  objectKeys?: Iterable<string>;
  signal?: AbortSignal;
  /** Rows written so far of the total, now and then and at the end. */
  onProgress?: (rows: number, total: number) => void;
}

/** Writes the header row and one row per event; returns the number of event rows. */
export async function exportCsv(store: EventStore, out: TextOutput, options: CsvOptions = {}): Promise<number> {
  let wanted: Uint8Array | undefined;
  if (options.objectKeys !== undefined) {
    wanted = new Uint8Array(store.objectIndexLimit);
    for (const key of options.objectKeys) {
      const object = store.getObject(key);
      if (object) wanted[object.index] = 1;
    }
  }
  const seqs: number[] = [];
  store.forEachEvent((seq, _ts, _conn, objectIndex) => {
    if (wanted === undefined || wanted[objectIndex] === 1) seqs.push(seq);
  });

  await out.write(csvRow([...CSV_COLUMNS]));
  let rows = 0;
  for (const seq of seqs) {
    const event = store.getEvent(seq);
    if (!event) continue;
    const { data } = event;
    const body = data.body;
    const pending = out.write(
      csvRow([
        String(event.seq),
        new Date(event.ts).toISOString(),
        String(event.ts),
        safeText(event.conn),
        safeText(data.class),
        safeText(data.subclass),
        safeText(data.type),
        safeText(data.obj_id),
        safeText(data.service),
        typeof body?.code === 'number' ? String(body.code) : safeText(body?.code === undefined ? undefined : String(body.code)),
        safeText(typeof body?.reason === 'string' ? body.reason : undefined),
        body === undefined ? '' : JSON.stringify(body),
      ]),
    );
    if (pending) await pending;
    if (++rows % CHECK_EVERY === 0) {
      throwIfCancelled(options.signal);
      options.onProgress?.(rows, seqs.length);
    }
  }
  options.onProgress?.(seqs.length, seqs.length);
  return rows;
}

export function csvRow(fields: string[]): string {
  return fields.map(csvField).join(',') + '\r\n';
}

/** RFC 4180 quoting: only when needed, quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Text a spreadsheet would take for a formula gets a leading apostrophe. */
export function safeText(value: string | undefined): string {
  if (value === undefined) return '';
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
