// First look at a frame from the server: refuse binary and oversized frames by their byte
// length, before any string conversion (of an oversized one only its ends are read), then
// parse JSON once, cut what nests too deep (shared/jsonDepth.ts), and classify it.
import { isUtf8 } from 'buffer';
import type { RawData } from 'ws';
import { cutIfTooDeep } from '../shared/jsonDepth';
import { classifyFrame, excerpt, type ParsedFrame } from './frames';
import { readOversizeFrame, type OversizeFrame } from './oversizeFrame';

export type DecodedFrame =
  | Exclude<ParsedFrame, { kind: 'invalid' }>
  /** `value` is the parsed JSON when there was one, so that a malformed request can still be answered. */
  | { kind: 'invalid'; reason: string; excerpt: string; value?: unknown }
  /** Over maxFrameBytes: not parsed, only its ends read (oversizeFrame.ts) to answer or fail what it belongs to. */
  | { kind: 'oversize'; reason: string; excerpt: string; byteLength: number; found: OversizeFrame };

export function rawByteLength(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, chunk) => sum + chunk.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function toBuffer(data: RawData): Buffer {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? Buffer.from(data) : data;
}

/**
 * Parses one WebSocket message. Never throws. `text` is set when the frame was text and small
 * enough, and `bytes` then holds the same text as UTF-8 (the message's own Buffer: the event
 * store copies bytes more cheaply than it could encode the text). `notUtf8` says that some
 * bytes were not UTF-8 and read as U+FFFD (the socket does not check: see openSocket.ts).
 */
export function decodeFrame(
  data: RawData,
  isBinary: boolean,
  byteLength: number,
  maxFrameBytes: number,
): { frame: DecodedFrame; text?: string; bytes?: Buffer; notUtf8?: boolean } {
  if (isBinary) {
    return { frame: { kind: 'invalid', reason: `binary frame of ${byteLength} bytes (NkSERVICE sends JSON text)`, excerpt: hexPreview(data) } };
  }
  if (byteLength > maxFrameBytes) {
    const whole = toBuffer(data);
    const head = whole.subarray(0, 160).toString('utf8');
    const reason = `frame of ${byteLength} bytes is over the ${maxFrameBytes}-byte limit`;
    return { frame: { kind: 'oversize', reason, excerpt: excerpt(head), byteLength, found: readOversizeFrame(whole) } };
  }
  let bytes = toBuffer(data);
  let text = bytes.toString('utf8');
  // Decoding turns bad bytes into U+FFFD, so only a frame that has one needs the full check.
  const notUtf8 = text.includes('\ufffd') && !isUtf8(bytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { frame: { kind: 'invalid', reason: `not JSON (${(error as Error).message})`, excerpt: excerpt(text) }, text, bytes, notUtf8 };
  }
  const cut = cutIfTooDeep(value, 'data');
  if (cut) {
    // Kept as the cut value from here on: nothing later may meet the original nesting.
    value = cut;
    text = JSON.stringify(cut);
    bytes = Buffer.from(text);
  }
  const parsed = classifyFrame(value, text);
  return { frame: parsed.kind === 'invalid' ? { ...parsed, value } : parsed, text, bytes, notUtf8 };
}

function hexPreview(data: RawData): string {
  const head = toBuffer(data).subarray(0, 16);
  return `<binary ${head.toString('hex').replace(/(..)/g, '$1 ').trim()}${rawByteLength(data) > 16 ? ' …' : ''}>`;
}
