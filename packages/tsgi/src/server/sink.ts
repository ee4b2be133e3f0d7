import type { Environ, ResponseHeaders } from "../types.js";

/**
 * Where a server's transport receives a response. `runApplication` drives it;
 * each transport (node:http, uwsgi, CGI, fetch, in-memory) implements it once.
 */
export interface ResponseSink {
  /** Sends the status line and headers; called once, just before the first body byte (or at the end of an empty body). */
  sendHeaders(status: string, headers: ResponseHeaders): void;
  /** Sends one chunk; a returned promise settles when the transport can take more (backpressure). */
  write(chunk: Uint8Array): void | Promise<void>;
  /** Completes the response. */
  end(): void | Promise<void>;
  /**
   * Optional fast path: sends a complete response (head and whole body, its Content-Length
   * already in `headers`) and ends it, where the transport can do that in one write.
   */
  respond?(status: string, headers: ResponseHeaders, body: Uint8Array): void;
  /** Abandons the response and closes the connection, so the client sees it incomplete. */
  abort(error: unknown): void;
  /** Aborts when the client goes away. */
  readonly signal?: AbortSignal;
  /**
   * True once the client went away: the same fact as `signal.aborted`, for transports that can
   * answer it without creating an AbortSignal per request (checked after each chunk).
   */
  readonly aborted?: boolean;
}

/** A complete error response, as `renderError` returns it. */
export interface ErrorResponse {
  status: string;
  headers: ResponseHeaders;
  body: Uint8Array;
}

/** Options for {@link runApplication}. */
export interface RunOptions {
  /** Reports an app error (default: its stack on `tsgi.errors`). */
  onError?(error: unknown, environ: Environ): void;
  /** Builds the response for an app error raised before headers were sent (default: a plain 500). */
  renderError?(error: unknown, environ: Environ): ErrorResponse;
}

/** What happened to one request. */
export interface RunResult {
  /** The status sent, if any. */
  status?: string;
  /** The headers of the app's response (with the Content-Length the server added to a complete body); empty when it never started one. */
  headers?: ResponseHeaders;
  /** Body bytes handed to the transport. */
  bytesSent: number;
  /** The app error, if one was raised. */
  error?: unknown;
  /** True when the client went away before the response was complete. */
  aborted: boolean;
}
