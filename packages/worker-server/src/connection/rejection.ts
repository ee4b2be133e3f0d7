import type net from "node:net";
import { headRejectionBytes } from "tsgi";
import { reasonPhrase } from "tsgi/fetch";

/** A request refused before the app sees it: answered, then the connection is closed. */
export interface Rejection {
  /** e.g. 400, 414, 431, 501, 505 */
  code: number;
  reason: string;
  /** One line for the client (and the error log at debug level). */
  message: string;
}

/** Builds a rejection, with RFC 9110's reason phrase for `code`. */
export function reject(code: number, message: string): Rejection {
  return { code, reason: reasonPhrase(code), message };
}

/** The raw HTTP/1.1 bytes of a rejection, for writing on a socket no parser trusts any more (the shape every tsgi server sends). */
export function rejectionBytes(rejection: Rejection): Buffer {
  return headRejectionBytes({ status: rejection.code, reason: rejection.reason, message: rejection.message });
}

/** How long a closing connection keeps draining what the client still sends, so our response is not lost to a RST. */
const LINGER_MS = 5_000;

/**
 * Ends `socket` cleanly: sends FIN after `lastBytes`, then discards what the client still
 * sends (a lingering close, as nginx does) until it closes or a few seconds pass. Closing with
 * unread data would make the kernel reset the connection and the client could lose the response.
 */
export function closeAfter(socket: net.Socket, lastBytes?: Uint8Array): void {
  if (socket.destroyed) return;
  const timer = setTimeout(() => socket.destroy(), LINGER_MS);
  timer.unref();
  socket.once("close", () => clearTimeout(timer));
  socket.on("error", () => socket.destroy());
  if (lastBytes !== undefined && socket.writable) socket.end(lastBytes);
  else socket.end();
  socket.resume();
}

