import { callApplication } from "tsgi";
import type { Application, Environ, ResponseBody, StartResponse, WriteFn } from "tsgi";
import { renderDebugResponse } from "tsgi/debug";
import { buildErrorReport, terminalReport } from "./devReport.js";

/** Options for {@link debugErrors}. */
export interface DebugErrorsOptions {
  /** Told about each error the page is shown for (default: the text report on `tsgi.errors`). */
  onError?(error: unknown, environ: Environ): void;
  /** Environ key holding the raw request target, shown in the request line. */
  rawTargetKey?: string;
}

const encoder = new TextEncoder();

/**
 * Middleware that turns an error raised before the response headers are sent
 * into the `tsgi/debug` page (HTML for browsers, plain text for curl or
 * `Accept: text/plain`): the error and its causes, source-mapped frames with
 * source lines, the request and the environ with secrets masked. An error after
 * headers went out is re-raised, so the server closes the connection.
 *
 * @example
 * const app = debugErrors(myApp);
 * await serve(app, { port: 8000 });
 */
export function debugErrors(app: Application, options: DebugErrorsOptions = {}): Application {
  const report = options.onError ?? reportOnErrorStream;
  const renderPage = (error: unknown, environ: Environ, startResponse: StartResponse): Uint8Array[] => {
    report(error, environ);
    const raw = options.rawTargetKey ? environ[options.rawTargetKey] : undefined;
    const page = renderDebugResponse(buildErrorReport(error, environ, typeof raw === "string" ? raw : undefined), environ.HTTP_ACCEPT);
    const body = encoder.encode(page.body);
    startResponse("500 Internal Server Error", [...page.headers, ["Content-Length", String(body.length)]], error);
    return [body];
  };

  return async (environ, startResponse) => {
    const state = { headersSent: false };
    const watchedStart: StartResponse = (status, headers, excInfo) => {
      const write = startResponse(status, headers, excInfo);
      const watchedWrite: WriteFn = (chunk) => {
        // The legacy write() sends headers with its first non-empty chunk.
        if (chunk.length > 0) state.headersSent = true;
        return write(chunk);
      };
      return watchedWrite;
    };
    let body: ResponseBody;
    try {
      body = await callApplication(app, environ, watchedStart);
    } catch (error) {
      if (state.headersSent) throw error;
      return renderPage(error, environ, startResponse);
    }
    return new GuardedBody(body, state, (error) => renderPage(error, environ, startResponse));
  };
}

/** Iterates the app's body; an error before any byte went out becomes the debug page instead. */
class GuardedBody implements AsyncIterable<Uint8Array> {
  #closed = false;

  constructor(
    readonly inner: ResponseBody,
    readonly state: { headersSent: boolean },
    readonly renderPage: (error: unknown) => Uint8Array[],
  ) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of this.inner) {
        if (chunk instanceof Uint8Array && chunk.length > 0) this.state.headersSent = true;
        yield chunk;
      }
    } catch (error) {
      if (this.state.headersSent) throw error;
      yield* this.renderPage(error);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.inner.close?.();
  }
}

function reportOnErrorStream(error: unknown, environ: Environ): void {
  environ["tsgi.errors"].write(terminalReport(error));
}
