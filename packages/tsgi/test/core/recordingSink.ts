import { createErrorStream, createInputStream, type Environ, type ResponseHeaders, type ResponseSink } from "../../src/index.js";

/** A transport that records what runApplication sends it. */
export class RecordingSink implements ResponseSink {
  status?: string;
  headers?: ResponseHeaders;
  chunks: Uint8Array[] = [];
  ended = false;
  abortError?: unknown;
  readonly controller = new AbortController();
  get signal() {
    return this.controller.signal;
  }
  sendHeaders(status: string, headers: ResponseHeaders) {
    if (this.status !== undefined) throw new Error("headers sent twice");
    this.status = status;
    this.headers = headers;
  }
  write(chunk: Uint8Array) {
    this.chunks.push(chunk);
  }
  end() {
    this.ended = true;
  }
  abort(error: unknown) {
    this.abortError = error ?? true;
  }
  text() {
    return Buffer.concat(this.chunks).toString();
  }
}

export function makeEnviron(overrides: Partial<Environ> = {}, body: Uint8Array[] = []): { environ: Environ; log: string[] } {
  const log: string[] = [];
  const environ: Environ = {
    REQUEST_METHOD: "GET",
    SCRIPT_NAME: "",
    PATH_INFO: "/",
    QUERY_STRING: "",
    SERVER_NAME: "127.0.0.1",
    SERVER_PORT: "80",
    SERVER_PROTOCOL: "HTTP/1.1",
    "tsgi.version": [1, 0],
    "tsgi.url_scheme": "http",
    "tsgi.input": createInputStream(body),
    "tsgi.errors": createErrorStream((text) => log.push(text)),
    "tsgi.multithread": false,
    "tsgi.multiprocess": false,
    "tsgi.run_once": false,
    ...overrides,
  };
  return { environ, log };
}
