import type net from "node:net";
import { IncompleteBodyError } from "../bodyErrors.js";

/**
 * The request body that follows a uwsgi packet: the bytes already read past the packet,
 * then the socket, up to `length` bytes (nginx sends CONTENT_LENGTH; it buffers chunked
 * uploads first). Reading pauses the socket between chunks, so a slow app applies backpressure.
 *
 * @example
 * const body = socketBody(socket, rest, Number(vars.get("CONTENT_LENGTH") ?? 0));
 */
export async function* socketBody(socket: net.Socket, initial: Buffer, length: number): AsyncGenerator<Uint8Array> {
  let remaining = length;
  if (remaining <= 0) return;
  if (initial.length > 0) {
    const head = initial.subarray(0, remaining);
    remaining -= head.length;
    yield head;
  }
  if (remaining <= 0) return;
  for await (const chunk of socket.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
    const part = chunk.length > remaining ? chunk.subarray(0, remaining) : chunk;
    remaining -= part.length;
    yield part;
    if (remaining <= 0) return;
  }
  // The front server went away mid-body: the app must not mistake a truncated body for a whole one.
  throw new IncompleteBodyError(length, length - remaining);
}
