import { callApplication, type Application, type Environ, type RunResult, type StartResponse } from "tsgi";
import type { ClientOrigin } from "../proxy/forwarded.js";
import type { AccessLog } from "../log/accessLog.js";
import type { RequestEvents } from "./index.js";

/** What the worker learns about one request while it runs, for hooks, stats and the access log. */
export interface RequestState {
  /** `performance.now()` when the request arrived (a double: no BigInt per request). */
  readonly startMs: number;
  environ?: Environ;
  /** The client origin that trusted proxy headers gave (node:http requests only). */
  origin?: ClientOrigin | undefined;
  /** The body turned out malformed while the app ran; the worker answered for it. */
  bodyRefused?: boolean;
}

/** The environ key (a symbol: invisible to apps iterating keys) that carries the request's state from the server into the wrapped app. */
export const REQUEST_STATE: unique symbol = Symbol("tsgi-worker.request");

/** Starts the state of a request arriving now. */
export function newRequestState(): RequestState {
  return { startMs: performance.now() };
}

/**
 * Reports requests around an app: `onRequest` before the app runs, then `onResponse` and the
 * access log line (with the response headers the run reports, for `%({name}o)s`) once it is done.
 *
 * @example
 * const observer = new RequestObserver(events, accessLog);
 * const app = observer.wrap(userApp);
 * // ... run a request with environ[REQUEST_STATE] = state, then:
 * observer.complete(state, result);
 */
export class RequestObserver {
  constructor(
    private readonly events: RequestEvents,
    private readonly accessLog: AccessLog | undefined,
  ) {}

  /** The app as the server runs it. */
  wrap(app: Application): Application {
    const events = this.events;
    return (environ: Environ, startResponse: StartResponse) => {
      const state = (environ as unknown as Record<symbol, RequestState | undefined>)[REQUEST_STATE];
      if (state === undefined) return callApplication(app, environ, startResponse);
      state.environ = environ;
      events.onRequest?.(environ);
      return callApplication(app, environ, startResponse);
    };
  }

  /** Reports a finished (or aborted) request. */
  complete(state: RequestState, result: RunResult): void {
    const environ = state.environ;
    if (environ === undefined) return;
    const durationMicros = (performance.now() - state.startMs) * 1000;
    const accessLog = this.accessLog;
    if (accessLog) {
      safely(environ, "access log", () =>
        accessLog.write({
          environ,
          ...(result.status !== undefined ? { status: result.status } : {}),
          responseHeaders: result.headers ?? [],
          bytesSent: result.bytesSent,
          durationMicros,
          time: new Date(),
        }),
      );
    }
    safely(environ, "onResponse hook", () => this.events.onResponse?.(environ, result, durationMicros / 1000));
  }
}

/** A failing postRequest hook or log write must not take the worker down: it is reported on tsgi.errors. */
function safely(environ: Environ, what: string, run: () => void): void {
  try {
    run();
  } catch (error) {
    environ["tsgi.errors"].write(`tsgi-worker: ${what} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
}
