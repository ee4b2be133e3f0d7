import { HOP_BY_HOP_HEADERS, statusForbidsBody } from "../http/rules.js";
import type { ApplicationFunction, Environ, ResponseBody, ResponseHeaders, StartResponse } from "../types.js";
import { FetchBridgeError } from "./errors.js";
import { reasonPhrase } from "./reasonPhrases.js";
import { UnbridgeableRequestError, requestFromEnviron } from "./requestFromEnviron.js";
import { streamChunks } from "./streamChunks.js";

/**
 * What a bridged handler gets besides the Request: the TSGI environ, for what a
 * Request cannot carry (REMOTE_ADDR, server-specific keys). Hono exposes it as `c.env.environ`.
 */
export interface TsgiFetchContext {
  environ: Environ;
}

/** A fetch-style app: Hono's `app.fetch`, an itty-router, or any `(Request) => Response`. */
export type FetchStyleHandler = (request: Request, context: TsgiFetchContext) => Response | Promise<Response>;

const encoder = new TextEncoder();

/**
 * Turns a fetch-style handler (for example a Hono app's `app.fetch`) into a
 * TSGI app, so any TSGI server can serve it. The request body streams from
 * `tsgi.input` as the handler reads it; the response body streams back chunk
 * by chunk, pulled only as fast as the server sends it. Every `Set-Cookie`
 * stays a separate header. When the server calls `close()` before the body
 * ended (the client went away), the Response body is cancelled and the
 * Request's `signal` aborts. The handler's second argument is `{ environ }`.
 * A handler may serve a WebSocket through `environ["tsgi.websocket"]`: it
 * accepts, talks until the conversation ends, then returns any Response (a
 * placeholder: the 101 is already out), which is discarded.
 *
 * @example
 * import { Hono } from "hono";
 * const hono = new Hono().get("/", (c) => c.text("hi"));
 * export const application = fromFetchHandler(hono.fetch);
 */
export function fromFetchHandler(handler: FetchStyleHandler): ApplicationFunction {
  if (typeof handler !== "function") {
    throw new FetchBridgeError("fromFetchHandler() needs a function (Request) => Response; for a Hono app pass app.fetch");
  }
  return async (environ, startResponse) => {
    const controller = new AbortController();
    let request: Request;
    try {
      request = requestFromEnviron(environ, controller.signal);
    } catch (error) {
      if (error instanceof UnbridgeableRequestError) return refuse(error, startResponse);
      throw error;
    }
    const response: unknown = await handler(request, { environ });
    if (!isResponse(response)) {
      throw new FetchBridgeError(`the fetch handler must return a Response, got ${describe(response)}`);
    }
    if (acceptedWebSocket(environ)) {
      // The 101 went out when the handler accepted: its Response can only be a placeholder.
      await response.body?.cancel();
      return [];
    }
    const headers = responseHeaders(response);
    if (response.body === null) describeEmptyBody(response.status, headers);
    startResponse(statusLine(response), headers);
    return responseBody(response, controller, environ);
  };
}

/** True once the handler accepted `tsgi.websocket` (SPEC.md: the body of an accepted request is empty). */
function acceptedWebSocket(environ: Environ): boolean {
  const state = environ["tsgi.websocket"]?.state;
  return state !== undefined && state !== "pending" && state !== "rejected";
}

function statusLine(response: Response): string {
  return `${response.status} ${response.statusText || reasonPhrase(response.status)}`;
}

/** All headers but hop-by-hop ones (a TSGI app may not send them); each Set-Cookie on its own line. */
function responseHeaders(response: Response): ResponseHeaders {
  const headers: ResponseHeaders = [];
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie" && !HOP_BY_HOP_HEADERS.has(name)) headers.push([name, value]);
  });
  for (const cookie of response.headers.getSetCookie()) headers.push(["set-cookie", cookie]);
  return headers;
}

/**
 * A fetch Response with no body (a redirect, say) usually has no Content-Type,
 * which TSGI requires whenever the status allows a body (the validator and
 * tsgi-dev enforce it): say what the client gets, an empty text body.
 */
function describeEmptyBody(status: number, headers: ResponseHeaders): void {
  if (statusForbidsBody(status)) return;
  const has = (name: string) => headers.some(([key]) => key === name);
  if (!has("content-type")) headers.push(["content-type", "text/plain; charset=utf-8"]);
  if (!has("content-length")) headers.push(["content-length", "0"]);
}

function responseBody(response: Response, controller: AbortController, environ: Environ): ResponseBody {
  if (response.body === null) return [];
  const chunks = streamChunks(response.body);
  let ended = false;
  return {
    async *[Symbol.asyncIterator]() {
      for await (const chunk of chunks) yield chunk;
      ended = true;
    },
    async close() {
      if (ended) return;
      // Stopped early (client gone, HEAD, error): stop the producer and tell the handler.
      controller.abort(new FetchBridgeError(`the client of ${environ.REQUEST_METHOD} ${environ.PATH_INFO} went away`));
      await chunks.cancel();
    },
  };
}

function refuse(error: UnbridgeableRequestError, startResponse: StartResponse): ResponseBody {
  const body = encoder.encode(error.message + "\n");
  startResponse(error.status, [
    ["Content-Type", "text/plain; charset=utf-8"],
    ["Content-Length", String(body.length)],
  ]);
  return [body];
}

function isResponse(value: unknown): value is Response {
  if (value instanceof Response) return true;
  // Another realm's or a polyfill's Response: accept the shape.
  const candidate = value as Partial<Response> | null;
  return (
    typeof candidate === "object" &&
    candidate !== null &&
    typeof candidate.status === "number" &&
    typeof candidate.headers?.forEach === "function" &&
    "body" in candidate
  );
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value === "object") return `an object (${Object.prototype.toString.call(value)})`;
  return typeof value;
}
