/** The statuses a refused request head can get. */
export type HeadRejectionStatus = 400 | 405 | 408 | 413 | 414 | 431 | 501 | 505;

/** A request refused before the app sees it: the server answers it with `Connection: close` and closes. */
export interface HeadRejection {
  status: HeadRejectionStatus;
  reason: string;
  /** One line for the client (and the server's log), naming what was wrong. */
  message: string;
}

const REASONS: Readonly<Record<HeadRejectionStatus, string>> = {
  400: "Bad Request",
  405: "Method Not Allowed",
  408: "Request Timeout",
  413: "Content Too Large",
  414: "URI Too Long",
  431: "Request Header Fields Too Large",
  501: "Not Implemented",
  505: "HTTP Version Not Supported",
};

/**
 * Builds a rejection with the status's reason phrase.
 *
 * @example
 * headRejection(505, "HTTP/2.0 is not supported over HTTP/1 framing");
 */
export function headRejection(status: HeadRejectionStatus, message: string): HeadRejection {
  return { status, reason: REASONS[status], message };
}

/** The plain-text body every server sends with a rejection. */
export function headRejectionBody(rejection: HeadRejection): string {
  return `${rejection.status} ${rejection.reason}: ${rejection.message}\n`;
}

/**
 * The complete HTTP/1.1 response for a rejection, for a server writing on a raw socket
 * (a `net` server, or `node:http`'s `clientError` path), with `Connection: close`. Any
 * refusal a server makes on its own (a 417, a 408 of a body timeout) has the same shape.
 *
 * @example
 * socket.end(headRejectionBytes(rejection));
 */
export function headRejectionBytes(rejection: { status: number; reason: string; message: string }): Buffer {
  const body = `${rejection.status} ${rejection.reason}: ${rejection.message}\n`;
  return Buffer.from(
    `HTTP/1.1 ${rejection.status} ${rejection.reason}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    "latin1",
  );
}
