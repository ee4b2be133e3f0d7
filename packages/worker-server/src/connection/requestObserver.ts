import { callApplication, type Application, type Environ, type RunResult, type StartResponse } from "tsgi";
import type { AccessLog } from "../log/accessLog.js";
import type { RequestEvents } from "./types.js";
import { describeError } from "tsgi/helpers";

/**
 * What the worker knows about one request while it runs, for hooks, stats and the access log.
 * The connection that serves the request owns it and hands it to {@link RequestObserver.complete}.
 */
export interface RequestRecord {
  /** `performance.now()` when the request head was complete (a double: no BigInt per request). */
  readonly startMs: number;
  readonly environ: Environ;
  /** The body turned out malformed (or too slow) while the app ran; the worker answered for it. */
  bodyRefused: boolean;
}

/**
 * Reports requests around an app: `onRequest` before the app runs (a throw there becomes the
 * app's error, so a 500), then `onResponse` and the access log line (with the response headers
 * the run reports, for `%({name}o)s`) once it is done.
 *
 * @example
 * const observer = new RequestObserver(events, accessLog);
 * const app = observer.wrap(userApp);               // once, at start-up
 * const record = { startMs: performance.now(), environ, bodyRefused: false };
 * observer.complete(record, await runApplication(app, environ, sink));
 */
export class RequestObserver {
  constructor(
    private readonly events: RequestEvents,
    private readonly accessLog: AccessLog | undefined,
  ) {}

  /** The app as the server runs it. */
  wrap(app: Application): Application {
    const onRequest = this.events.onRequest;
    if (onRequest === undefined) return app;
    return (environ: Environ, startResponse: StartResponse) => {
      onRequest(environ);
      return callApplication(app, environ, startResponse);
    };
  }

  /** Reports a finished (or aborted) request. */
  complete(record: RequestRecord, result: RunResult): void {
    const environ = record.environ;
    const accessLog = this.accessLog;
    const onResponse = this.events.onResponse;
    if (accessLog === undefined && onResponse === undefined) return;
    const durationMicros = (performance.now() - record.startMs) * 1000;
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
    if (onResponse) safely(environ, "onResponse hook", () => onResponse(environ, result, durationMicros / 1000));
  }
}

/** A failing postRequest hook or log write must not take the worker down: it is reported on tsgi.errors. */
function safely(environ: Environ, what: string, run: () => void): void {
  try {
    run();
  } catch (error) {
    environ["tsgi.errors"].write(`tsgi-worker: ${what} failed: ${describeError(error)}\n`);
  }
}
