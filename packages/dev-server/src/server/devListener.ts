import type { IncomingMessage, ServerResponse } from "node:http";
import { DEFAULT_FIELD_SIZE, MAX_REQUEST_LINE, type Application, type HeadLimits, type RunResult } from "tsgi";
import { toNodeListener } from "tsgi/node";
import type { NodeListener, NodeListenerOptions } from "tsgi/node";
import type { AccessLogEntry } from "../log/accessLog.js";

/** Options for {@link createDevListener}. */
export interface DevListenerOptions extends NodeListenerOptions {
  /** Receives one entry per finished request (the access log). */
  onRequestDone?(entry: AccessLogEntry): void;
}

/**
 * The request-head limits `tsgi-dev` applies unless told otherwise: more generous than Gunicorn's defaults
 * (4094/100/8190), so a development request is rarely refused where production would accept it, yet within
 * Gunicorn's hard ceilings (an 8190-byte request line whatever `--limit-request-line` says), so what `tsgi-dev`
 * serves, a Gunicorn-configured `tsgi-worker` can serve too.
 */
export const DEV_HEAD_LIMITS: HeadLimits = Object.freeze({ requestLine: MAX_REQUEST_LINE, fields: 1_000, fieldSize: DEFAULT_FIELD_SIZE });

/** The environ key holding the request target exactly as received, before any decoding. */
export const RAW_URI_KEY = "tsgi_dev.raw_uri";

/**
 * A `node:http` listener for a TSGI app, built on `toNodeListener` (so every head passes
 * `checkRequestHead`, with {@link DEV_HEAD_LIMITS} by default), that also reports each
 * request to the access log and adds the raw request target to the environ as a server key
 * (the static handler needs it to refuse `%2f` in paths).
 *
 * @example
 * const listener = createDevListener(app, { onRequestDone: (entry) => console.log(entry.status) });
 * http.createServer(listener).on("checkContinue", listener);
 */
export function createDevListener(app: Application, options: DevListenerOptions = {}): NodeListener {
  const { onRequestDone, serverKeys, ...listenerOptions } = options;
  const listener = toNodeListener(app, {
    ...listenerOptions,
    headLimits: options.headLimits ?? DEV_HEAD_LIMITS,
    serverKeys: (req) => ({ ...serverKeys?.(req), [RAW_URI_KEY]: req.url ?? "/" }),
  });
  return async (req: IncomingMessage, res: ServerResponse): Promise<RunResult> => {
    const started = performance.now();
    const time = new Date();
    const result = await listener(req, res);
    onRequestDone?.({
      time,
      method: req.method ?? "GET",
      path: req.url ?? "/",
      status: result.status === undefined ? undefined : Number.parseInt(result.status, 10),
      bytes: result.bytesSent,
      milliseconds: performance.now() - started,
    });
    return result;
  };
}
