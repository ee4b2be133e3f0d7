import { callApplication } from "../application.js";
import { parseStatus, statusForbidsBody } from "../http/rules.js";
import type { Application, Environ, ResponseBody, ResponseHeaders, StartResponse, WriteFn } from "../types.js";
import type { ErrorResponse, ResponseSink, RunOptions, RunResult } from "./sink.js";
import { InvalidResponseError, checkStartResponse } from "./startResponseChecks.js";
import { describeError } from "../helpers/describeError.js";

/**
 * Runs one request through an app and into a transport: the server side of
 * SPEC.md in one place (wsgiref's BaseHandler). It implements `startResponse`
 * and its second-call rules, sends headers with the first non-empty chunk,
 * respects backpressure, enforces Content-Length, honours HEAD, turns an app
 * error into a 500 (or a closed connection once headers are out), and calls the
 * body's `close()` on every path.
 *
 * @example
 * const result = await runApplication(app, environ, sink);
 * console.log(result.status, result.bytesSent);
 */
export function runApplication(
  app: Application,
  environ: Environ,
  sink: ResponseSink,
  options: RunOptions = {},
): Promise<RunResult> {
  return new ApplicationRun(environ, sink, options).execute(app);
}

const ABORTED = Symbol("aborted");
const EMPTY = new Uint8Array(0);
const encoder = new TextEncoder();

class ApplicationRun {
  #status: string | undefined;
  #code = 0;
  #headers: ResponseHeaders = [];
  #headersSent = false;
  #declaredLength: number | undefined;
  #bodyAllowed = true;
  #bytesSent = 0;
  #aborted = false;
  #error: unknown;
  readonly #isHead: boolean;
  #writeFn: WriteFn | undefined;
  /**
   * The app's `startResponse`. Bound once in the constructor rather than declared as an arrow
   * field: under tsx every arrow field costs a `__name` property definition per request.
   */
  readonly startResponse: StartResponse;

  constructor(
    readonly environ: Environ,
    readonly sink: ResponseSink,
    readonly options: RunOptions,
  ) {
    this.#isHead = environ.REQUEST_METHOD === "HEAD";
    this.startResponse = this.#startResponse.bind(this);
  }

  execute(app: Application): Promise<RunResult> {
    let returned: ResponseBody | Promise<ResponseBody>;
    try {
      returned = callApplication(app, this.environ, this.startResponse);
    } catch (error) {
      return this.#complete(Promise.reject(error));
    }
    if (returned instanceof Promise) return this.#complete(returned);
    // A sync app's complete body with nothing to close: answered without an async step at all.
    if (typeof returned?.close !== "function") {
      try {
        if (this.#sendComplete(returned)) return Promise.resolve(this.#result());
      } catch (error) {
        return this.#complete(Promise.reject(error));
      }
    }
    return this.#complete(returned);
  }

  /** Everything but the synchronous fast path: waits for the body, streams it, handles errors, closes it. */
  async #complete(returned: ResponseBody | Promise<ResponseBody>): Promise<RunResult> {
    let body: ResponseBody | undefined;
    try {
      body = returned instanceof Promise ? await returned : returned;
      if (!this.#sendComplete(body)) {
        this.#addLengthOfArrayBody(body);
        await this.#sendBody(body);
        if (!this.#aborted) await this.#finish();
      }
    } catch (error) {
      await this.#fail(error);
    } finally {
      if (typeof body?.close === "function") await this.#close(body);
    }
    return this.#result();
  }

  #result(): RunResult {
    return { status: this.#status, headers: this.#headers, bytesSent: this.#bytesSent, error: this.#error, aborted: this.#aborted };
  }

  /**
   * The common case in one step: an array body of at most one chunk whose length matches any
   * declared Content-Length goes out as a whole through `sink.respond` (one write for head and
   * body). Anything else (HEAD, bodiless statuses, several chunks, a wrong length, a bad chunk)
   * takes the general path, which applies and reports every rule.
   */
  #sendComplete(body: ResponseBody): boolean {
    const sink = this.sink;
    if (sink.respond === undefined || !Array.isArray(body) || body.length > 1) return false;
    const status = this.#status;
    if (status === undefined || this.#headersSent || !this.#bodyAllowed) return false;
    const chunk: unknown = body.length === 0 ? EMPTY : body[0];
    if (!(chunk instanceof Uint8Array)) return false;
    const declared = this.#declaredLength;
    if (declared !== undefined && declared !== chunk.length) return false;
    const headers = declared === undefined ? [...this.#headers, ["Content-Length", String(chunk.length)] as [string, string]] : this.#headers;
    this.#headers = headers;
    this.#declaredLength = chunk.length;
    this.#headersSent = true;
    this.#bytesSent = chunk.length;
    sink.respond(status, headers, chunk);
    if (this.#clientGone()) this.#markAborted(); // the client had already gone: nothing was sent
    return true;
  }

  #startResponse(status: string, headers: ResponseHeaders, excInfo?: unknown): WriteFn {
    if (excInfo !== undefined) {
      // Too late to change the response: re-raise so the server aborts the connection.
      if (this.#headersSent) throw excInfo;
    } else if (this.#status !== undefined) {
      throw new InvalidResponseError("startResponse() called a second time without excInfo");
    }
    this.#declaredLength = checkStartResponse(status, headers);
    this.#status = status;
    this.#code = (parseStatus(status) as { code: number }).code;
    this.#headers = headers;
    this.#bodyAllowed = !this.#isHead && !statusForbidsBody(this.#code);
    // One write() per request: a second startResponse (with excInfo) returns the same function.
    return (this.#writeFn ??= async (chunk) => {
      if (this.#status === undefined) throw new InvalidResponseError("write() called before startResponse()");
      await this.#writeChunk(chunk);
    });
  }

  /** Writes one chunk; returns a promise only when the transport asked to wait (backpressure). */
  #writeChunk(chunk: unknown): void | Promise<void> {
    if (!(chunk instanceof Uint8Array)) {
      throw new InvalidResponseError(
        `response body chunks must be Uint8Array, got ${typeof chunk} (return [bytes], not bytes or a string)`,
      );
    }
    if (chunk.length === 0) return;
    if (!this.#headersSent) this.#sendHeaders();
    if (!this.#bodyAllowed) return;
    let out = chunk;
    if (this.#declaredLength !== undefined) {
      const room = this.#declaredLength - this.#bytesSent;
      if (out.length > room) {
        this.#log(`tsgi: app sent more than its Content-Length of ${this.#declaredLength}; extra bytes dropped\n`);
        if (room <= 0) return;
        out = out.subarray(0, room);
      }
    }
    this.#bytesSent += out.length;
    return this.sink.write(out);
  }

  #sendHeaders(): void {
    if (this.#status === undefined) {
      throw new InvalidResponseError("the app produced body data before calling startResponse()");
    }
    this.#headersSent = true;
    // RFC 9110 §8.6: a server MUST NOT send Content-Length in a 204 response.
    if (this.#code === 204) this.#headers = this.#headers.filter(([name]) => name.length !== 14 || name.toLowerCase() !== "content-length");
    this.sink.sendHeaders(this.#status, this.#headers);
  }

  /** A body given as an array is complete, so its length is known: send it rather than chunk (as wsgiref does). */
  #addLengthOfArrayBody(body: ResponseBody): void {
    if (!Array.isArray(body) || this.#status === undefined || this.#headersSent) return;
    if (this.#declaredLength !== undefined || statusForbidsBody(this.#code)) return;
    let total = 0;
    for (const chunk of body) {
      if (!(chunk instanceof Uint8Array)) return;
      total += chunk.length;
    }
    this.#headers = [...this.#headers, ["Content-Length", String(total)]];
    this.#declaredLength = total;
  }

  async #sendBody(body: ResponseBody): Promise<void> {
    if (body === null || (typeof body !== "object" && typeof body !== "function")) {
      throw new InvalidResponseError(`the app must return an iterable of Uint8Array, got ${body === null ? "null" : typeof body}`);
    }
    if (Symbol.iterator in body) {
      for (const chunk of body as Iterable<Uint8Array>) {
        const pending = this.#writeChunk(chunk);
        if (pending !== undefined) await pending;
        if (this.#clientGone()) return this.#markAborted();
        if (this.#isHead && this.#headersSent) return;
      }
      return;
    }
    if (!(Symbol.asyncIterator in body)) {
      throw new InvalidResponseError("the app must return an iterable or async iterable of Uint8Array");
    }
    const signal = this.sink.signal;
    const iterator = (body as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
    let finished = false;
    try {
      for (;;) {
        const next = signal ? await raceAbort(iterator.next(), signal) : await iterator.next();
        if (next === ABORTED) return this.#markAborted();
        if (next.done) {
          finished = true;
          return;
        }
        await this.#writeChunk(next.value);
        if (signal?.aborted) return this.#markAborted();
        // HEAD needs only the headers; stop pulling once they are known.
        if (this.#isHead && this.#headersSent) return;
      }
    } finally {
      // A generator parked on an await would make `return()` wait forever: fire and forget.
      if (!finished) iterator.return?.()?.catch(() => {});
    }
  }

  /** Cheap when the sink reports `aborted` itself: no AbortSignal is created for bodies that never wait. */
  #clientGone(): boolean {
    const sink = this.sink;
    return sink.aborted ?? sink.signal?.aborted ?? false;
  }

  #markAborted(): void {
    this.#aborted = true;
  }

  async #finish(): Promise<void> {
    if (!this.#headersSent) {
      if (this.#status === undefined) throw new InvalidResponseError("the app returned without calling startResponse()");
      this.#sendHeaders();
    }
    const declared = this.#declaredLength;
    if (this.#bodyAllowed && declared !== undefined && this.#bytesSent < declared) {
      // The client would wait for bytes that never come: close so it sees the response is incomplete.
      this.#log(`tsgi: app sent ${this.#bytesSent} of its Content-Length of ${declared} bytes; closing the connection\n`);
      this.sink.abort(new InvalidResponseError("response shorter than its Content-Length"));
      return;
    }
    await this.sink.end();
  }

  async #fail(error: unknown): Promise<void> {
    this.#error = error;
    this.#report(error);
    if (this.#aborted || this.#clientGone()) return;
    if (this.#headersSent) {
      this.sink.abort(error);
      return;
    }
    let response: ErrorResponse;
    try {
      response = this.options.renderError?.(error, this.environ) ?? plainServerError();
    } catch (renderError) {
      this.#report(renderError);
      response = plainServerError();
    }
    try {
      this.#status = response.status;
      this.#headersSent = true;
      const headers: ResponseHeaders = response.headers.some(([name]) => name.toLowerCase() === "content-length")
        ? response.headers
        : [...response.headers, ["Content-Length", String(response.body.length)]];
      this.#headers = headers;
      this.sink.sendHeaders(response.status, headers);
      if (!this.#isHead && response.body.length > 0) await this.sink.write(response.body);
      await this.sink.end();
    } catch (sinkError) {
      this.sink.abort(sinkError);
    }
  }

  async #close(body: ResponseBody | undefined): Promise<void> {
    if (body === undefined || body === null || typeof body.close !== "function") return;
    try {
      await body.close();
    } catch (error) {
      this.#report(error);
    }
  }

  #report(error: unknown): void {
    if (this.options.onError) return this.options.onError(error, this.environ);
    this.#log(`tsgi: error in app: ${describeError(error)}\n`);
  }

  #log(text: string): void {
    this.environ["tsgi.errors"].write(text);
  }
}

function plainServerError(): ErrorResponse {
  return {
    status: "500 Internal Server Error",
    headers: [["Content-Type", "text/plain; charset=utf-8"]],
    body: encoder.encode("Internal Server Error\n"),
  };
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | typeof ABORTED> {
  if (signal.aborted) return Promise.resolve(ABORTED);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
