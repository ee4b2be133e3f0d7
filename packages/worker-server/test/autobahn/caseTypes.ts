/**
 * The shape of one Autobahn-style case: what the client sends (steps) and what RFC 6455 requires
 * of the server in answer (an echo, a failed connection with a close code, or a close answered).
 */
import { OP, type FrameSpec } from "./frames.js";

/** One thing the client does, in order. */
export type Step =
  /** Frames written in one TCP write, or in writes of `chop` bytes (each handed to the kernel before the next). */
  | { frames: FrameSpec[]; chop?: number }
  /** A data message compressed with permessage-deflate when it was negotiated, sent plain otherwise. */
  | { compressed: { opcode: number; payload: Buffer; fragments?: number } }
  /** Waits until the server echoed this many messages in all (so what follows is surely read after them). */
  | { waitMessages: number }
  /** Waits until the server sent this many pongs in all. */
  | { waitPongs: number };

/** A message the server must send back. */
export interface ExpectedMessage {
  binary: boolean;
  data: Buffer;
}

/** What the server must do. */
export type Expectation =
  /** Echo these messages and answer these pings, then close cleanly (1000) when the client closes. */
  | { kind: "echo"; messages: ExpectedMessage[]; pongs?: Buffer[] }
  /** Fail the connection: a close frame with one of `codes`, then the TCP connection closed; what came before is still echoed. */
  | { kind: "fail"; codes: number[]; messages?: ExpectedMessage[]; pongs?: Buffer[] }
  /** The client closed within the steps: the server answers with one of `codes` and closes TCP. */
  | { kind: "close"; codes: number[]; messages?: ExpectedMessage[]; pongs?: Buffer[] };

export interface AutobahnCase {
  /** Autobahn's numbering (category.section.case). */
  id: string;
  title: string;
  /** A `Sec-WebSocket-Extensions` offer (categories 12 and 13). */
  offer?: string;
  steps: Step[];
  expect: Expectation;
}

export const text = (payload: Buffer | string): ExpectedMessage => ({ binary: false, data: Buffer.from(payload) });
export const binary = (payload: Buffer): ExpectedMessage => ({ binary: true, data: payload });

/** A whole message as one frame. */
export const frameOf = (message: ExpectedMessage): FrameSpec => ({ opcode: message.binary ? OP.binary : OP.text, payload: message.data });

/** A message split into frames of `size` bytes (at least one frame, even when empty). */
export function fragmentsOf(message: ExpectedMessage, size: number): FrameSpec[] {
  const frames: FrameSpec[] = [];
  const count = Math.max(1, Math.ceil(message.data.length / size));
  for (let index = 0; index < count; index++) {
    frames.push({
      opcode: index === 0 ? (message.binary ? OP.binary : OP.text) : OP.continuation,
      fin: index === count - 1,
      payload: message.data.subarray(index * size, (index + 1) * size),
    });
  }
  return frames;
}

const filledCache = new Map<string, ExpectedMessage>();

/**
 * `length` bytes of `*` (text) or 0xFE (binary), the payloads Autobahn's framing cases use. One
 * shared buffer per size (never written to): the table holds each multi-MiB payload once.
 */
export function filled(length: number, asBinary = false): ExpectedMessage {
  const key = `${length}:${asBinary}`;
  let message = filledCache.get(key);
  if (message === undefined) {
    message = asBinary ? binary(Buffer.alloc(length, 0xfe)) : { binary: false, data: Buffer.alloc(length, "*") };
    filledCache.set(key, message);
  }
  return message;
}

/** A case that sends `messages` as steps and expects each echoed. */
export function echoCase(id: string, title: string, steps: Step[], messages: ExpectedMessage[], pongs?: Buffer[]): AutobahnCase {
  return { id, title, steps, expect: { kind: "echo", messages, pongs } };
}

/** A case whose steps break a MUST of RFC 6455: the server fails the connection with one of `codes` (1002 by default). */
export function failCase(id: string, title: string, steps: Step[], codes = [1002], before: { messages?: ExpectedMessage[]; pongs?: Buffer[] } = {}): AutobahnCase {
  return { id, title, steps, expect: { kind: "fail", codes, ...before } };
}
