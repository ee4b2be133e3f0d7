import { AsyncLocalStorage } from "node:async_hooks";
import type { Settings } from "../settings/types.js";
import type { HttpRequest } from "../http/request.js";
import type { UrlResolver } from "../urls/resolver.js";

/** What the handler knows about the request being served, for code that gets no request argument. */
export interface RequestContext {
  settings: Settings;
  resolver: UrlResolver;
  /** The prefix `reverse()` puts before every path (`SCRIPT_NAME` or FORCE_SCRIPT_NAME), ending in `/`. */
  scriptPrefix: string;
  request?: HttpRequest;
}

const storage = new AsyncLocalStorage<RequestContext>();
let fallback: RequestContext | undefined;

/**
 * Runs `fn` with `context` as the current request context. Async-safe: each
 * request sees its own context (Django keeps these in thread-locals).
 *
 * @example
 * await runWithContext({ settings, resolver, scriptPrefix: "/" }, () => view(request));
 */
export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/**
 * {@link runWithContext} for one argument: `fn(arg)` in `context`, without a closure per call.
 *
 * @example
 * const answer = runInContext(context, chain, request);
 */
export function runInContext<A, T>(context: RequestContext, fn: (arg: A) => T, arg: A): T {
  return storage.run(context, fn, arg);
}

/**
 * Runs callbacks in `context` later (the streamed body's steps), as {@link captureContext} does from inside it.
 *
 * @example
 * const inContext = contextRunner(context);
 */
export function contextRunner(context: RequestContext): <T>(fn: () => T) => T {
  return (fn) => storage.run(context, fn);
}

/**
 * The current request's context, else the last application created (for scripts and tests), else undefined.
 *
 * @example
 * const debug = currentContext()?.settings.DEBUG ?? false;
 */
export function currentContext(): RequestContext | undefined {
  return storage.getStore() ?? fallback;
}

/** Makes `context` the default outside requests (set by `getTsgiApplication`, like Django's global settings). */
export function setDefaultContext(context: RequestContext): void {
  fallback = context;
}

/**
 * A function that runs callbacks inside the current request context, for code
 * the server calls later (the body's iterator): a streaming view's generator
 * then still sees its request in `reverse()` and `setSignedCookie()`.
 *
 * @example
 * const inContext = captureContext();
 * iterator.next = () => inContext(() => next());
 */
export function captureContext(): <T>(fn: () => T) => T {
  const context = storage.getStore();
  if (context === undefined) return (fn) => fn();
  return (fn) => storage.run(context, fn);
}
