import type { RequestRecord } from "../requestObserver.js";
import type { HttpContext } from "./context.js";
import type { ParsedHead } from "./headParser.js";
import type { RequestBody } from "./requestBody.js";
import type { ResponseWriter } from "./responseWriter.js";

/** One request on its connection: what the connection knows about it while it runs. */
export interface Exchange {
  readonly head: ParsedHead;
  readonly body: RequestBody | undefined;
  readonly writer: ResponseWriter;
  readonly record: RequestRecord;
  continueSent: boolean;
}

export const CONTINUE = Buffer.from("HTTP/1.1 100 Continue\r\n\r\n", "latin1");

/**
 * Whether the connection may serve another request after this exchange's response (RFC 9112 9.3):
 * the client asked to keep it, has not half-closed, keep-alive is on, the server is not draining,
 * and the client is not still waiting for a `100 Continue` that never came (it would never send its body).
 *
 * @example
 * const keepAlive = mayReuse(exchange, peerEnded, context);
 */
export function mayReuse(exchange: Exchange, peerEnded: boolean, context: HttpContext): boolean {
  if (!exchange.head.keepAlive || peerEnded) return false;
  if (context.timeouts.keepAliveMs === 0 || context.draining) return false;
  const body = exchange.body;
  return !(body !== undefined && !body.done && exchange.head.expectContinue && !exchange.continueSent);
}

/** What the sweep does to a connection waiting for a request head. */
export type IdleVerdict = "wait" | "close" | "headTimeout";

/**
 * The keep-alive and drain rules for a connection between requests, at `now`: a head begun and
 * not finished within `--timeout`'s head limit is refused (408); while draining, a connection idle
 * past the grace is closed (so a client that is sending never races the close); otherwise an idle
 * connection is closed after the keep-alive timeout (or the head timeout before its first request).
 *
 * @example
 * if (idleVerdict(context, { now, lastActiveMs, headStartMs, headPending: true, requests: 3 }) === "headTimeout") refuse408();
 */
export function idleVerdict(context: HttpContext, state: { now: number; lastActiveMs: number; headStartMs: number; headPending: boolean; requests: number }): IdleVerdict {
  const timeouts = context.timeouts;
  if (state.headPending) return timeouts.headersMs > 0 && state.now - state.headStartMs > timeouts.headersMs ? "headTimeout" : "wait";
  if (context.draining && state.now - state.lastActiveMs >= context.drainGraceMs) return "close";
  const limit = state.requests > 0 ? timeouts.keepAliveMs : timeouts.headersMs;
  return limit > 0 && state.now - state.lastActiveMs > limit ? "close" : "wait";
}
