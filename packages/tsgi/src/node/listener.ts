import type { IncomingMessage, ServerResponse } from "node:http";
import { checkRequestHead, type HeadCheckOptions } from "../http/headChecks.js";
import { GUNICORN_HEAD_LIMITS, type HeadLimits } from "../http/headLimits.js";
import { stderrErrorStream } from "../input/errorStream.js";
import { runApplication } from "../server/runApplication.js";
import type { RunOptions, RunResult } from "../server/sink.js";
import type { Application, Environ } from "../types.js";
import { buildEnviron, nodeRequestHead, type EnvironOptions } from "./environ.js";
import { respondWithHeadRejection, wasRefused } from "./headRejection.js";
import { NodeResponseSink } from "./sink.js";
import { errorMessage } from "../helpers/describeError.js";

/** Options for {@link toNodeListener}: how heads are checked, environs built and errors reported. */
export interface NodeListenerOptions extends EnvironOptions, RunOptions {
  /** Limits on the request head, with Gunicorn's meaning (default: Gunicorn's defaults, 4094/100/8190). */
  headLimits?: HeadLimits;
  /** Policies of the head checks, e.g. `{ underscoreHeaders: "refuse" }` (default: dropped by the assembler). */
  headChecks?: HeadCheckOptions;
}

/** A `node:http` request listener that resolves when the response is done. */
export type NodeListener = (req: IncomingMessage, res: ServerResponse) => Promise<RunResult>;

/**
 * Turns a TSGI app into a `(req, res)` listener for any `node:http` server (and
 * so for Express, Fastify or Vite middleware): checks the head (`checkRequestHead`;
 * a refused one gets its 4xx/5xx with `Connection: close` and the app is not called),
 * builds the environ (`buildEnviron`) and serves it (`serveEnviron`). Register it for
 * `checkContinue` too, so `100 Continue` is sent only when the app first reads its input,
 * and register `answerClientError` for `clientError`, so heads Node refuses itself get the same statuses.
 *
 * @example
 * const listener = toNodeListener(app);
 * const server = http.createServer(listener).on("checkContinue", listener).on("clientError", answerClientError);
 * server.listen(8000);
 */
export function toNodeListener(app: Application, options: NodeListenerOptions = {}): NodeListener {
  const limits = options.headLimits ?? GUNICORN_HEAD_LIMITS;
  return (req, res) => {
    if (wasRefused(req.socket)) {
      // Pipelined behind a refused head: the connection closes after the refusal; this request is never served.
      req.resume();
      return Promise.resolve({ bytesSent: 0, aborted: true });
    }
    const rejection = checkRequestHead(nodeRequestHead(req), limits, options.headChecks);
    if (rejection !== undefined) {
      respondWithHeadRejection(req, res, rejection);
      return Promise.resolve({ status: `${rejection.status} ${rejection.reason}`, bytesSent: 0, aborted: false });
    }
    let environ: Environ;
    try {
      environ = buildEnviron(req, options, () => sendContinue(res));
    } catch (error) {
      // A server's serverKeys that clash with the assembler's (ReservedEnvironKeyError): a bug to report, not a crash.
      return Promise.resolve(answerEnvironFailure(res, error, options));
    }
    return serveEnviron(app, environ, res, options);
  };
}

/**
 * Runs `app` on an environ a server already built and answers on `res`: what a
 * server that builds its own environ (or adds to it) hands forward.
 *
 * @example
 * const environ = buildEnviron(req, { serverKeys: () => ({ RAW_URI: req.url }) });
 * await serveEnviron(app, environ, res, { onError: console.error });
 */
export function serveEnviron(app: Application, environ: Environ, res: ServerResponse, options: RunOptions = {}): Promise<RunResult> {
  return runApplication(app, environ, new NodeResponseSink(res), options).catch((error: unknown) => {
    res.destroy();
    return { bytesSent: 0, error, aborted: true };
  });
}

function answerEnvironFailure(res: ServerResponse, error: unknown, options: NodeListenerOptions): RunResult {
  (options.errors ?? stderrErrorStream).write(`tsgi: could not build the environ: ${errorMessage(error)}\n`);
  const body = "500 Internal Server Error\n";
  res.shouldKeepAlive = false;
  res.writeHead(500, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": body.length, Connection: "close" }).end(body);
  return { status: "500 Internal Server Error", bytesSent: 0, error, aborted: false };
}

function sendContinue(res: ServerResponse): void {
  // Without a checkContinue listener Node already answered 100 itself (and set _sent100).
  const state = res as ServerResponse & { _sent100?: boolean; _expect_continue?: boolean };
  if (state._expect_continue && !state._sent100 && !res.headersSent) res.writeContinue();
}
