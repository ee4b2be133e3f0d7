import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { ChunkedBodyError, ChunkedDecoder, parseHead, type ParserLimits } from "../../src/connection/http/parser/index.js";

/** One request as a parser saw it. */
export interface SeenRequest {
  method: string;
  target: string;
  bodyLength: number;
  /** The whole body arrived (its framing ended within the bytes sent). */
  complete: boolean;
  /** The connection does not go on after this request (close, or an upgrade). */
  last: boolean;
}

/** What a parser made of the bytes one connection sent before closing its side. */
export interface Verdict {
  requests: SeenRequest[];
  /** Why the parser stopped before the end, if it refused something (a status or an llhttp error code). */
  error: string | undefined;
}

/** Runs the worker's parser over `bytes` as a connection would: heads, bodies, pipelined requests. */
export function ourVerdict(bytes: Buffer, limits: ParserLimits): Verdict {
  const requests: SeenRequest[] = [];
  let rest = bytes;
  while (rest.length > 0) {
    const result = parseHead(rest, limits);
    if (result.kind === "reject") return { requests, error: String(result.rejection.code) };
    if (result.kind === "incomplete") return { requests, error: undefined };
    const head = result.head;
    rest = rest.subarray(head.headBytes);
    const request: SeenRequest = {
      method: head.method, target: head.target, bodyLength: 0, complete: true, last: !head.keepAlive || head.upgrade !== undefined,
    };
    requests.push(request);
    if (head.body.kind === "length") {
      request.bodyLength = Math.min(head.body.length, rest.length);
      request.complete = rest.length >= head.body.length;
      rest = rest.subarray(request.bodyLength);
    } else if (head.body.kind === "chunked") {
      try {
        const decoded = new ChunkedDecoder(limits).decode(rest);
        request.bodyLength = decoded.data.reduce((sum, part) => sum + part.length, 0);
        request.complete = decoded.done;
        rest = rest.subarray(decoded.consumed);
      } catch (error) {
        if (!(error instanceof ChunkedBodyError)) throw error;
        request.complete = false;
        return { requests, error: `${error.rejection.code} (chunked)` };
      }
    }
    if (request.last || !request.complete) break;
  }
  return { requests, error: undefined };
}

interface Connection {
  requests: SeenRequest[];
  error: string | undefined;
  closed: Promise<void>;
  markClosed: () => void;
}

/**
 * A real `node:http` server (llhttp, strict mode) on 127.0.0.1 port 0 that records, per client
 * connection, the requests it parsed and the parser error it reported.
 */
export class LlhttpWitness {
  readonly #server: http.Server;
  readonly #connections = new Map<number, Connection>();
  #port = 0;

  constructor() {
    this.#server = http.createServer({ insecureHTTPParser: false }, (req, res) => this.#onRequest(req, res));
    this.#server.on("clientError", (error: NodeJS.ErrnoException, socket: net.Socket) => {
      const connection = this.#connection(socket.remotePort ?? 0);
      connection.error ??= error.code ?? "clientError";
      socket.destroy();
    });
    this.#server.on("connection", (socket: net.Socket) => {
      const port = socket.remotePort ?? 0;
      const connection = this.#connection(port);
      socket.once("close", () => {
        // Forget the port at once: the client's kernel may hand it to the next connection right away.
        if (this.#connections.get(port) === connection) this.#connections.delete(port);
        connection.markClosed();
      });
    });
    // No tunnels and no upgrades: record the head and close, as the worker would stop reading HTTP.
    const stop = (req: http.IncomingMessage, socket: net.Socket) => {
      const connection = this.#connection(socket.remotePort ?? 0);
      connection.requests.push({ method: req.method ?? "", target: req.url ?? "", bodyLength: 0, complete: true, last: true });
      socket.destroy();
    };
    this.#server.on("connect", stop);
    this.#server.on("upgrade", stop);
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Sends `bytes` on a fresh connection, half-closes it, and returns what llhttp parsed once the server closed it. */
  async verdict(bytes: Buffer, timeoutMs: number): Promise<Verdict | "timeout"> {
    const client = net.connect(this.#port, "127.0.0.1");
    client.on("error", () => {}); // resets after a refusal are expected
    client.resume();
    await new Promise<void>((resolve, reject) => {
      client.once("connect", resolve);
      client.once("error", reject);
    });
    const connection = this.#connection(client.localPort ?? 0);
    client.end(bytes);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = await Promise.race([
      connection.closed.then(() => false),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), timeoutMs))),
    ]);
    clearTimeout(timer);
    client.destroy();
    if (timedOut) return "timeout";
    return { requests: connection.requests, error: connection.error };
  }

  #connection(port: number): Connection {
    let connection = this.#connections.get(port);
    if (connection === undefined) {
      let markClosed = () => {};
      const closed = new Promise<void>((resolve) => (markClosed = resolve));
      connection = { requests: [], error: undefined, closed, markClosed };
      this.#connections.set(port, connection);
    }
    return connection;
  }

  #onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const connection = this.#connection(req.socket.remotePort ?? 0);
    const seen: SeenRequest = { method: req.method ?? "", target: req.url ?? "", bodyLength: 0, complete: false, last: !shouldKeepAlive(req) };
    connection.requests.push(seen);
    req.on("data", (chunk: Buffer) => (seen.bodyLength += chunk.length));
    req.on("end", () => {
      seen.complete = req.complete;
      res.end("ok");
    });
    req.on("error", () => {});
    res.on("error", () => {});
  }
}

/** RFC 9112 9.3, as llhttp decides it (node exposes it as an internal field, so it is worked out from the head). */
function shouldKeepAlive(req: http.IncomingMessage): boolean {
  const options = (req.headers.connection ?? "").toLowerCase().split(",").map((option) => option.trim());
  if (options.includes("close")) return false;
  return req.httpVersionMinor === 1 || options.includes("keep-alive");
}

/**
 * `bytes` rewritten into the forms llhttp accepts, for what RFC 9110/9112 allow and llhttp
 * refuses: the whitespace RFC 9112 7.1.1 allows in chunk-size lines (BWS around ";" and "=",
 * outside quoted strings) is removed, and an HTTP/1.x version above 1.1 becomes HTTP/1.1
 * (RFC 9110 2.5: processed as the highest minor version the recipient implements). With those
 * gone, llhttp must frame the bytes exactly as the worker's parser framed the originals.
 */
export function inLlhttpForm(bytes: Buffer, limits: ParserLimits): Buffer {
  const parts: Buffer[] = [];
  let rest = bytes;
  for (;;) {
    const result = parseHead(rest, limits);
    if (result.kind !== "head") break;
    const head = result.head;
    const headBytes = rest.subarray(0, head.headBytes);
    const plainVersion = head.httpVersion === "1.0" || head.httpVersion === "1.1";
    parts.push(plainVersion ? headBytes : Buffer.from(headBytes.toString("latin1").replace(/HTTP\/1\.\d\r\n/, "HTTP/1.1\r\n"), "latin1"));
    rest = rest.subarray(head.headBytes);
    if (head.body.kind === "length") {
      const length = Math.min(head.body.length, rest.length);
      parts.push(rest.subarray(0, length));
      rest = rest.subarray(length);
    } else if (head.body.kind === "chunked") {
      const end = chunkedEnd(rest, limits);
      if (end === undefined) break;
      parts.push(Buffer.from(stripChunkLineWhitespace(rest.subarray(0, end).toString("latin1")), "latin1"));
      rest = rest.subarray(end);
    }
    if (!head.keepAlive) break;
  }
  parts.push(rest);
  return Buffer.concat(parts);
}

function chunkedEnd(bytes: Buffer, limits: ParserLimits): number | undefined {
  try {
    const decoded = new ChunkedDecoder(limits).decode(bytes);
    return decoded.done ? decoded.consumed : undefined;
  } catch {
    return undefined;
  }
}

/** Rewrites a valid chunked body: each chunk-size line loses its SP/HTAB outside quoted strings. */
function stripChunkLineWhitespace(body: string): string {
  let output = "";
  let index = 0;
  for (;;) {
    const lineEnd = body.indexOf("\r\n", index);
    const line = body.slice(index, lineEnd);
    let stripped = "";
    let quoted = false;
    for (let at = 0; at < line.length; at++) {
      const char = line[at] as string;
      if (quoted && char === "\\") {
        stripped += char + (line[++at] ?? "");
        continue;
      }
      if (char === '"') quoted = !quoted;
      if (!quoted && (char === " " || char === "\t")) continue;
      stripped += char;
    }
    output += `${stripped}\r\n`;
    const size = Number.parseInt(line, 16);
    index = lineEnd + 2;
    if (size === 0) return output + body.slice(index); // trailer section as is
    output += body.slice(index, index + size + 2);
    index += size + 2;
  }
}
