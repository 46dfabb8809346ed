// WebSocket text frames (RFC 6455 §5.2), written back to back into one buffer so that many
// frames leave in a single socket write: the client's answers of a tick, the simulator's
// events of a loop turn.
//
// Why not ws.send per frame: for a 30-byte answer ws allocates a header and a masked copy of
// the payload and queues both on the socket: two buffers per answer in the write, and more
// work than the answer itself. Here a frame costs a UTF-8 write (and for a client a 4-byte
// mask) into a buffer that is reused.
//
// A client masks each frame with its own random key, as the RFC requires (so that a proxy
// cannot be fooled into caching attacker-chosen bytes). Keys come from a pool filled by the
// CSPRNG, as ws does. A server does not mask.
import { randomFillSync } from 'crypto';
import type { Socket } from 'net';
import WebSocket from 'ws';

const OPCODE_TEXT_FINAL = 0x81;
const MASKED = 0x80;
const MASK_POOL_BYTES = 8 * 1024;

export class TextFrameWriter {
  private buffer: Buffer;
  private used = 0;
  /** Random masking keys, 4 bytes each (a client only). */
  private masks: Buffer | undefined;
  /** Next unused key in `masks` (all used: refill first). */
  private maskAt = MASK_POOL_BYTES;

  /** `masked`: frames from a client (masked) or from a server (not). */
  constructor(
    private readonly masked: boolean,
    initialBytes = 16 * 1024,
  ) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  /** Bytes of frames written since the last `take`. */
  get length(): number {
    return this.used;
  }

  /** Appends `text` as one final text frame. */
  appendText(text: string): void {
    const payloadLength = Buffer.byteLength(text, 'utf8');
    const lengthBytes = payloadLength < 126 ? 0 : payloadLength < 65536 ? 2 : 8;
    const maskBit = this.masked ? MASKED : 0;
    this.reserve(2 + lengthBytes + 4 + payloadLength);
    const out = this.buffer;
    let at = this.used;
    out[at++] = OPCODE_TEXT_FINAL;
    if (lengthBytes === 0) {
      out[at++] = maskBit | payloadLength;
    } else if (lengthBytes === 2) {
      out[at++] = maskBit | 126;
      out.writeUInt16BE(payloadLength, at);
      at += 2;
    } else {
      out[at++] = maskBit | 127;
      out.writeUInt32BE(Math.floor(payloadLength / 2 ** 32), at);
      out.writeUInt32BE(payloadLength >>> 0, at + 4);
      at += 8;
    }
    if (!this.masked) {
      this.used = at + out.write(text, at, payloadLength, 'utf8');
      return;
    }
    const mask = (this.masks ??= Buffer.allocUnsafe(MASK_POOL_BYTES));
    if (this.maskAt === MASK_POOL_BYTES) {
      randomFillSync(mask);
      this.maskAt = 0;
    }
    const key = this.maskAt;
    this.maskAt += 4;
    out[at] = mask[key];
    out[at + 1] = mask[key + 1];
    out[at + 2] = mask[key + 2];
    out[at + 3] = mask[key + 3];
    at += 4;
    out.write(text, at, payloadLength, 'utf8');
    for (let i = 0; i < payloadLength; i++) out[at + i] ^= mask[key + (i & 3)];
    this.used = at + payloadLength;
  }

  /** The frames written so far, in a buffer of their own (the socket may hold it a while); starts over. */
  take(): Buffer {
    const frames = Buffer.from(this.buffer.subarray(0, this.used));
    this.used = 0;
    return frames;
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.used + bytes));
    this.buffer.copy(grown, 0, 0, this.used);
    this.buffer = grown;
  }
}

/**
 * Writes frames from a TextFrameWriter straight to a WebSocket's net socket, if it is open;
 * returns whether it did. Each write holds whole frames, so they never cut into the frames ws
 * writes itself (pings, pongs, requests, close), which it writes at once: no compression,
 * nothing queued. (ws does not expose its socket; `_socket` has been stable across ws 7 and 8.)
 */
export function writeFrames(ws: WebSocket, frames: Buffer): boolean {
  const socket = (ws as unknown as { _socket?: Socket })._socket;
  if (ws.readyState !== WebSocket.OPEN || socket === undefined || socket.destroyed) return false;
  socket.write(frames);
  return true;
}
