/**
 * The shape of a request vector: exact request bytes, the RFC section they follow, and
 * what every conforming server must do with them.
 */

/** Where the server under test was reached, for expectations that depend on it (an HTTP/1.0 request without Host). */
export interface VectorServer {
  /** The address the runner connected to (the server's local address as it sees the connection), e.g. `127.0.0.1`. */
  host: string;
  /** The port the runner connected to, as decimal digits. */
  port: string;
  /** The runner's side of the connection, as the server sees it in REMOTE_PORT. */
  clientPort: string;
}

/** An expected environ value: exact, or computed from where the server listens. */
export type ExpectedValue = string | ((server: VectorServer) => string);

/** A request the server must refuse before the app sees it, then close the connection (RFC 9112 §9.6). */
export interface RefusedResponse {
  kind: "refused";
  status: 400 | 405 | 414 | 431 | 501 | 505;
  /**
   * The fault is in the body, which a streaming server only finds while the app reads
   * `tsgi.input` (RFC 9112 §7.1 chunk framing): the app may have been called, but the
   * answer is still this status and a closed connection.
   */
  inBody?: boolean;
}

/** A request the app must be called for exactly once, with this environ and body. */
export interface ServedResponse {
  kind: "served";
  /** Keys the environ must hold with exactly these values (other keys are not checked here). */
  environ: Readonly<Record<string, ExpectedValue>>;
  /** Keys that must not be in the environ at all. */
  absent?: readonly string[];
  /** Keys that must be absent or `""` (SPEC.md allows either, e.g. `CONTENT_LENGTH` of a chunked body). */
  absentOrEmpty?: readonly string[];
  /** The body the app reads from `tsgi.input` to end of file, latin-1 (default: no body at all). */
  body?: string;
}

/** One response the runner reads, in order. */
export type ExpectedResponse = RefusedResponse | ServedResponse;

/**
 * One request vector: raw bytes (one request, or several pipelined in one write) and the
 * responses they must get. A refused response ends the connection; `closeAfter` says a
 * served one must too (`Connection: close`, HTTP/1.0), and nothing after it may be served.
 */
export interface RequestVector {
  /** Stable id, kebab-case: what a test names to skip a vector. */
  id: string;
  /** The rule it checks, e.g. `RFC 9112 §3.2: more than one Host field line is refused`. */
  rfc: string;
  /** Exact bytes, latin-1 (every char is one byte). */
  request: string;
  responses: readonly ExpectedResponse[];
  /** The server must close the connection after the last served response. */
  closeAfter?: boolean;
}

/**
 * A vector of one request.
 *
 * @example
 * vector("dup-host", "RFC 9112 §3.2", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", refused(400));
 */
export function vector(id: string, rfc: string, request: string, response: ExpectedResponse, closeAfter?: boolean): RequestVector {
  return closeAfter === undefined ? { id, rfc, request, responses: [response] } : { id, rfc, request, responses: [response], closeAfter };
}

/**
 * A refusal expectation.
 *
 * @example
 * refused(505);
 */
export function refused(status: RefusedResponse["status"], inBody?: boolean): RefusedResponse {
  return inBody ? { kind: "refused", status, inBody } : { kind: "refused", status };
}

/**
 * A served expectation.
 *
 * @example
 * served({ REQUEST_METHOD: "GET", PATH_INFO: "/" });
 */
export function served(environ: ServedResponse["environ"], more: Omit<ServedResponse, "kind" | "environ"> = {}): ServedResponse {
  return { kind: "served", environ, ...more };
}

/**
 * Joins request lines with CRLF and ends the head with an empty line.
 *
 * @example
 * head("GET / HTTP/1.1", "Host: example.com"); // "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"
 */
export function head(...lines: string[]): string {
  return lines.map((line) => `${line}\r\n`).join("") + "\r\n";
}
