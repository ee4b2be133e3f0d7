import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { Readable } from "node:stream";

/** A request for {@link sendHttpRequest}. */
export interface HttpRequestOptions {
  method?: string;
  /** Path and query, appended to the base URL's origin. */
  path: string;
  headers?: Record<string, string>;
  /** A body to send: bytes, or an (async) iterable of chunks streamed with chunked framing unless a length is set. */
  body?: Uint8Array | Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
  /** Receives the response body piece by piece instead of buffering it. */
  onBody?: (part: Buffer) => void;
  /** Aborts the request. */
  signal?: AbortSignal;
}

/** A response from {@link sendHttpRequest}. */
export interface HttpResponse {
  status: number;
  statusMessage: string;
  headers: IncomingHttpHeaders;
  /** The buffered body (empty when `onBody` was given). */
  body: Buffer;
}

/**
 * Sends one request with `node:http` on a fresh connection (no agent, so no
 * socket outlives the request) and reads the whole response.
 *
 * @example
 * const response = await sendHttpRequest("http://127.0.0.1:8000", { path: "/environ" });
 * JSON.parse(response.body.toString("utf8"));
 */
export function sendHttpRequest(baseUrl: string | URL, options: HttpRequestOptions): Promise<HttpResponse> {
  const url = new URL(options.path, baseUrl);
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, {
      method: options.method ?? "GET",
      headers: options.headers,
      agent: false,
      signal: options.signal,
    });
    request.once("error", reject);
    request.once("response", (response) => {
      const parts: Buffer[] = [];
      response.on("data", (part: Buffer) => (options.onBody ? options.onBody(part) : parts.push(part)));
      response.once("error", reject);
      response.once("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          statusMessage: response.statusMessage ?? "",
          headers: response.headers,
          body: Buffer.concat(parts),
        }),
      );
    });
    const body = options.body;
    if (body === undefined) request.end();
    else if (body instanceof Uint8Array) request.end(body);
    else Readable.from(body, { objectMode: false }).once("error", reject).pipe(request);
  });
}

/**
 * GETs a path and parses the JSON body; fails with the status and body text when it is not 200.
 *
 * @example
 * const environ = await getJson<Record<string, unknown>>(url, "/environ");
 */
export async function getJson<T>(baseUrl: string | URL, path: string, headers?: Record<string, string>): Promise<T> {
  const response = await sendHttpRequest(baseUrl, { path, headers });
  const text = response.body.toString("utf8");
  if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}
