import type net from "node:net";

/** A request refused before the app sees it: answered, then the connection is closed. */
export interface Rejection {
  /** e.g. 400, 414, 431, 501, 505 */
  code: number;
  reason: string;
  /** One line for the client (and the error log at debug level). */
  message: string;
}

/** Builds a rejection. */
export function reject(code: number, message: string): Rejection {
  return { code, reason: REASONS[code] ?? "Bad Request", message };
}

const REASONS: Record<number, string> = {
  400: "Bad Request",
  405: "Method Not Allowed",
  408: "Request Timeout",
  413: "Content Too Large",
  414: "URI Too Long",
  431: "Request Header Fields Too Large",
  501: "Not Implemented",
  505: "HTTP Version Not Supported",
};

/** The raw HTTP/1.1 bytes of a rejection, for writing on a socket no parser trusts any more. */
export function rejectionBytes(rejection: Rejection): Buffer {
  const body = `${rejection.code} ${rejection.reason}: ${rejection.message}\n`;
  return Buffer.from(
    `HTTP/1.1 ${rejection.code} ${rejection.reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    "latin1",
  );
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

