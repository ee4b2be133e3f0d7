import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { checkRequestHead } from "../http/headChecks.js";
import { MAX_REQUEST_LINE, type HeadLimits } from "../http/headLimits.js";
import { headRejection, headRejectionBody, headRejectionBytes, type HeadRejection } from "../http/headRejection.js";
import { nodeRequestHead } from "./environ.js";

/** Sockets that already carry a rejection: a later parse error on them must not answer a second time. */
const rejected = new WeakSet<Duplex>();

/**
 * Answers a refused request head through its ServerResponse, with `Connection: close`, and reads
 * (discards) what the client still sends so the close does not reset the connection under the answer.
 *
 * @example
 * const rejection = checkRequestHead(nodeRequestHead(req));
 * if (rejection) return respondWithHeadRejection(req, res, rejection);
 */
export function respondWithHeadRejection(req: IncomingMessage, res: ServerResponse, rejection: HeadRejection): void {
  rejected.add(req.socket);
  const body = headRejectionBody(rejection);
  res.shouldKeepAlive = false;
  res.writeHead(rejection.status, rejection.reason, {
    "Content-Type": "text/plain; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    Connection: "close",
  });
  res.end(body);
  req.resume();
}

/**
 * True when a head on this connection was already refused: a request pipelined behind it must not reach the app
 * (RFC 9112 §9.6: after the close, nothing more is processed).
 */
export function wasRefused(socket: Duplex): boolean {
  return rejected.has(socket);
}

/** What `node:http` reports with a `clientError`: llhttp's code and the bytes it could not parse. */
interface ClientError extends Error {
  code?: string;
  rawPacket?: Buffer;
}

/**
 * The rejection for a head `node:http` (llhttp) refused before any listener saw it, with the same
 * status `checkRequestHead` gives the same head: 505 for an `HTTP/2.0`-and-up line, 414 when Node's header
 * size limit was hit within a request line longer than Gunicorn's 8190-byte ceiling, 431 when it was hit
 * in the header fields, 408 for a head timeout, 400 otherwise.
 *
 * @example
 * clientErrorRejection(error).status; // 505 for "GET / HTTP/3.0"
 */
export function clientErrorRejection(error: ClientError): HeadRejection {
  const code = error.code;
  if (code === "HPE_INVALID_VERSION") {
    const version = requestLineVersion(error.rawPacket);
    if (version !== undefined && version.major >= 2) {
      return headRejection(505, `HTTP/${version.major}.${version.minor} is not supported: this server speaks HTTP/1.1`);
    }
    return headRejection(400, "invalid HTTP version");
  }
  if (code === "HPE_HEADER_OVERFLOW") {
    const packet = error.rawPacket;
    // The request line alone did not fit: Gunicorn's answer to a too-long request line is 414.
    const lineEnd = packet === undefined ? 0 : packet.indexOf("\n");
    if (lineEnd === -1 || lineEnd > MAX_REQUEST_LINE) return headRejection(414, "request line is too large");
    return headRejection(431, "request header fields are too large");
  }
  if (code === "ERR_HTTP_REQUEST_TIMEOUT" || code === "ERR_HTTP_HEADERS_TIMEOUT") return headRejection(408, "the request head took too long");
  return headRejection(400, error.message.replace(/^Parse Error: /, "").slice(0, 200) || "malformed request");
}

/**
 * A `node:http` server's `clientError` handler that answers like `checkRequestHead` would, then closes:
 * register it next to `toNodeListener` so both paths give one head the same status.
 *
 * @example
 * http.createServer(toNodeListener(app)).on("clientError", answerClientError);
 */
export function answerClientError(error: Error, socket: Duplex): void {
  // Bytes after a request that ends the connection (Connection: close, HTTP/1.0): RFC 9112 §9.6 says answer
  // that request, close, and process nothing more. Its response is still on its way; node closes after it.
  if ((error as ClientError).code === "HPE_CLOSED_CONNECTION") return;
  if (rejected.has(socket)) {
    // The listener already answered this head (e.g. a Transfer-Encoding it refused, whose body llhttp then
    // failed to parse): let that answer, still corked in this tick, go out before the close.
    while (socket.writableCorked > 0) socket.uncork();
    socket.end();
    return;
  }
  if (!socket.writable || (error as ClientError).code === "ECONNRESET") {
    socket.destroy();
    return;
  }
  rejected.add(socket);
  socket.end(headRejectionBytes(clientErrorRejection(error)));
  if ("resume" in socket) (socket as Socket).resume();
}

/**
 * Answers a CONNECT request, which `node:http` hands to its `connect` event rather than to the listener:
 * `checkRequestHead` refuses it (405, or 400 for a target that is not `host:port`), as on every tsgi server.
 *
 * @example
 * server.on("connect", (req, socket) => answerConnect(req, socket));
 */
export function answerConnect(req: IncomingMessage, socket: Duplex, limits?: HeadLimits): void {
  const rejection = checkRequestHead(nodeRequestHead(req), limits) ?? headRejection(405, "CONNECT is not supported");
  rejected.add(socket);
  socket.end(headRejectionBytes(rejection));
}

/**
 * Makes a `node:http` server answer the heads its listener never sees as `checkRequestHead` would:
 * those llhttp refuses (`clientError`) and CONNECT (`connect`). `createServer` and `tsgi-dev` call it.
 *
 * @example
 * answerRefusedHeads(http.createServer(toNodeListener(app)));
 */
export function answerRefusedHeads(server: Server, limits?: HeadLimits): Server {
  server.on("clientError", answerClientError);
  server.on("connect", (req: IncomingMessage, socket: Duplex) => answerConnect(req, socket, limits));
  return server;
}

function requestLineVersion(packet: Buffer | undefined): { major: number; minor: number } | undefined {
  if (packet === undefined) return undefined;
  const end = packet.indexOf("\n");
  const line = packet.toString("latin1", 0, end === -1 ? Math.min(packet.length, 8192) : end);
  const match = / HTTP\/(\d+)\.(\d+)\r?$/.exec(line);
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}
