// Reads WebSocket frames back (RFC 6455 §5.2), to check what a client or server wrote.

export interface DecodedFrame {
  fin: boolean;
  opcode: number;
  masked: boolean;
  mask: Buffer;
  text: string;
}

/** Splits `bytes` into frames and unmasks each payload; throws if the bytes do not end on a frame boundary. */
export function decodeClientFrames(bytes: Buffer): DecodedFrame[] {
  const frames: DecodedFrame[] = [];
  let at = 0;
  while (at < bytes.length) {
    const fin = (bytes[at] & 0x80) !== 0;
    const opcode = bytes[at] & 0x0f;
    const masked = (bytes[at + 1] & 0x80) !== 0;
    let length = bytes[at + 1] & 0x7f;
    at += 2;
    if (length === 126) {
      length = bytes.readUInt16BE(at);
      at += 2;
    } else if (length === 127) {
      length = bytes.readUInt32BE(at) * 2 ** 32 + bytes.readUInt32BE(at + 4);
      at += 8;
    }
    const mask = masked ? bytes.subarray(at, at + 4) : Buffer.alloc(4);
    if (masked) at += 4;
    if (at + length > bytes.length) throw new Error(`frame at byte ${at} runs past the end`);
    const payload = Buffer.from(bytes.subarray(at, at + length));
    for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
    frames.push({ fin, opcode, masked, mask: Buffer.from(mask), text: payload.toString('utf8') });
    at += length;
  }
  return frames;
}
