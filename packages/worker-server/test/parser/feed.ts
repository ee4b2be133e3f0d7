import { ChunkedDecoder, parseHead, type HeadParse, type ParserLimits } from "../../src/connection/http/parser/index.js";

export const LIMITS: ParserLimits = { requestLine: 4094, fields: 100, fieldSize: 8190 };

/** Bytes from a test string, one byte per char (latin1), so "\x00" and "\xff" are single bytes. */
export function bytes(text: string): Buffer {
  return Buffer.from(text, "latin1");
}

/**
 * Feeds `input` to parseHead one more byte at a time, as a client sending byte by byte would,
 * and returns the first answer that is not `incomplete` with the number of bytes it took
 * (or `incomplete` after the last byte).
 */
export function parseByteByByte(input: Buffer, limits: ParserLimits = LIMITS): { result: HeadParse; at: number } {
  for (let length = 1; length <= input.length; length++) {
    const result = parseHead(input.subarray(0, length), limits);
    if (result.kind !== "incomplete") return { result, at: length };
  }
  return { result: { kind: "incomplete" }, at: input.length };
}

/** Runs a chunked body through a ChunkedDecoder in pieces of `step` bytes; returns the body, bytes used and trailers. */
export function decodeInSteps(
  input: Buffer,
  step: number,
  limits?: Pick<ParserLimits, "fields" | "fieldSize">,
): { body: string; consumed: number; done: boolean; trailers: string[] } {
  const decoder = new ChunkedDecoder(limits);
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < input.length) {
    const piece = input.subarray(offset, offset + step);
    const result = decoder.decode(piece);
    parts.push(...result.data);
    offset += result.consumed;
    if (result.done) return { body: Buffer.concat(parts).toString("latin1"), consumed: offset, done: true, trailers: decoder.trailers };
    if (result.consumed !== piece.length) throw new Error("the decoder stopped early without being done");
  }
  return { body: Buffer.concat(parts).toString("latin1"), consumed: offset, done: false, trailers: decoder.trailers };
}
