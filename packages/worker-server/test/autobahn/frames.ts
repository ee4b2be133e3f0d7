/**
 * RFC 6455 §5.2 frames, built by hand so a test can send what no well-behaved library would:
 * reserved bits, reserved opcodes, oversize control frames, lengths in any encoding. Client
 * frames are masked (§5.3), as a client must; the decoder reads the server's unmasked frames.
 */
import { randomBytes } from "node:crypto";

export const OP = { continuation: 0, text: 1, binary: 2, close: 8, ping: 9, pong: 10 } as const;

/** One frame as sent or received. `rsv` holds RSV1..RSV3 as bits 4, 2, 1 (RSV1 = 4). */
export interface Frame {
  fin: boolean;
  rsv: number;
  opcode: number;
  payload: Buffer;
  /** Received frames only: whether the server masked it (it MUST NOT, §5.1). */
  masked?: boolean;
}

/** What {@link encodeFrame} takes: a frame, FIN and RSV defaulting to a final frame with no reserved bits. */
export interface FrameSpec {
  opcode: number;
  payload?: Buffer | string;
  fin?: boolean;
  rsv?: number;
}

/** XORs `data` with the 4-byte `mask`, in place (masking and unmasking are the same operation). */
export function applyMask(data: Buffer, mask: Buffer): Buffer {
  const length = data.length;
  const words = length >>> 2;
  if (words > 0 && data.byteOffset % 4 === 0) {
    // Four bytes at a time: a 16 MiB message is masked in milliseconds, not a second.
    const view = new Uint32Array(data.buffer, data.byteOffset, words);
    const key = new Uint32Array(Uint8Array.from(mask).buffer)[0] as number; // native byte order, as the view
    for (let index = 0; index < words; index++) view[index] = (view[index] as number) ^ key;
  } else {
    for (let index = 0; index < words * 4; index++) data[index] = (data[index] as number) ^ (mask[index & 3] as number);
  }
  for (let index = words * 4; index < length; index++) data[index] = (data[index] as number) ^ (mask[index & 3] as number);
  return data;
}

/** The bytes of one masked client frame, with the shortest length encoding. */
export function encodeFrame(spec: FrameSpec): Buffer {
  const payload = typeof spec.payload === "string" ? Buffer.from(spec.payload, "utf8") : (spec.payload ?? Buffer.alloc(0));
  const length = payload.length;
  const lengthBytes = length < 126 ? 0 : length < 65536 ? 2 : 8;
  const frame = Buffer.alloc(2 + lengthBytes + 4 + length);
  frame[0] = ((spec.fin ?? true) ? 0x80 : 0) | (((spec.rsv ?? 0) & 7) << 4) | (spec.opcode & 0x0f);
  if (lengthBytes === 0) frame[1] = 0x80 | length;
  else if (lengthBytes === 2) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  const mask = randomBytes(4);
  mask.copy(frame, 2 + lengthBytes);
  const body = frame.subarray(6 + lengthBytes);
  payload.copy(body);
  // A copy at an aligned offset lets applyMask work on words; the copy back costs one memcpy.
  const aligned = Buffer.from(body);
  applyMask(aligned, mask);
  aligned.copy(body);
  return frame;
}

/** A close frame's payload: the code as two bytes, then the reason. */
export function closePayload(code: number, reason: Buffer | string = ""): Buffer {
  const head = Buffer.alloc(2);
  head.writeUInt16BE(code, 0);
  return Buffer.concat([head, typeof reason === "string" ? Buffer.from(reason, "utf8") : reason]);
}

/**
 * Parses frames out of a growing byte stream (the server's side of the connection). Feed it
 * chunks as they arrive; it returns every frame completed so far.
 */
export class FrameDecoder {
  #chunks: Buffer[] = [];
  #buffered = 0;

  push(chunk: Buffer): Frame[] {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    const frames: Frame[] = [];
    for (;;) {
      const frame = this.#next();
      if (frame === undefined) return frames;
      frames.push(frame);
    }
  }

  #peek(length: number): Buffer | undefined {
    if (this.#buffered < length) return undefined;
    if ((this.#chunks[0] as Buffer).length < length) this.#chunks = [Buffer.concat(this.#chunks)];
    return (this.#chunks[0] as Buffer).subarray(0, length);
  }

  #take(length: number): Buffer {
    const all = this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks);
    this.#chunks = all.length > length ? [all.subarray(length)] : [];
    this.#buffered -= length;
    return all.subarray(0, length);
  }

  #next(): Frame | undefined {
    const start = this.#peek(2);
    if (start === undefined) return undefined;
    const masked = ((start[1] as number) & 0x80) !== 0;
    const short = (start[1] as number) & 0x7f;
    const lengthBytes = short === 126 ? 2 : short === 127 ? 8 : 0;
    const head = this.#peek(2 + lengthBytes + (masked ? 4 : 0));
    if (head === undefined) return undefined;
    const length = lengthBytes === 0 ? short : lengthBytes === 2 ? head.readUInt16BE(2) : Number(head.readBigUInt64BE(2));
    const total = head.length + length;
    if (this.#buffered < total) return undefined;
    const bytes = this.#take(total);
    const payload = Buffer.from(bytes.subarray(head.length));
    if (masked) applyMask(payload, bytes.subarray(2 + lengthBytes, 6 + lengthBytes));
    const first = bytes[0] as number;
    return { fin: (first & 0x80) !== 0, rsv: (first >> 4) & 7, opcode: first & 0x0f, payload, masked };
  }
}
