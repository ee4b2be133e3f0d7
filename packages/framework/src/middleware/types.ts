import type { HttpRequest } from "../http/request.js";
import type { HttpResponseBase } from "../http/response/base.js";
import type { Settings } from "../settings/types.js";
import type { View, ViewKwargs } from "../views/types.js";
export { MiddlewareNotUsed } from "../exceptions.js";

/** The next layer of the onion: the rest of the middleware, then the view. Never throws (errors become responses). */
export type GetResponse = (request: HttpRequest) => Promise<HttpResponseBase>;

/**
 * The next layer as the framework's own middleware see it: a response, or a promise of one
 * when something inside waited. A chain whose middleware and view all answer synchronously
 * then runs without a promise per layer. Factories given such a layer are marked with
 * {@link acceptsSyncLayer}; every other factory gets a {@link GetResponse} (always a promise).
 */
export type NextLayer = (request: HttpRequest) => HttpResponseBase | Promise<HttpResponseBase>;

/** A middleware factory taking a {@link NextLayer}; usable wherever a {@link MiddlewareFactory} is. */
export type SyncLayerFactory = (next: NextLayer, settings: Settings) => Middleware;

const syncLayerFactories = new WeakSet<object>();

/**
 * Marks a middleware factory as taking a {@link NextLayer} (a response or a promise of one)
 * instead of a promise-only {@link GetResponse}; `loadMiddleware` then skips the promise
 * adapter in front of it. The factory must handle both answers (see {@link isPromiseLike}).
 *
 * @example
 * export const Timing: SyncLayerFactory = (next) => (request) => {
 *   const response = next(request);
 *   return response instanceof Promise ? response.then(stamp) : stamp(response);
 * };
 * acceptsSyncLayer(Timing); // a separate statement, so the factory keeps its name
 */
export function acceptsSyncLayer(factory: SyncLayerFactory): MiddlewareFactory {
  syncLayerFactories.add(factory);
  return factory;
}

/** True for factories marked with {@link acceptsSyncLayer}. @example takesSyncLayer(SecurityMiddleware); // true */
export function takesSyncLayer(factory: MiddlewareFactory): factory is SyncLayerFactory {
  return syncLayerFactories.has(factory);
}

/**
 * True for a promise or any thenable (what `await` would wait for), so a sync path treats
 * a thenable the way the async code did.
 *
 * @example
 * if (isPromiseLike(result)) return Promise.resolve(result).then(after);
 */
export function isPromiseLike<T>(value: T | PromiseLike<T>): value is PromiseLike<T> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

/** What a hook may return: a response to short-circuit, or nothing to continue. */
export type MaybeResponse = HttpResponseBase | null | undefined | void;

/** A response that renders late (a TemplateResponse): `processTemplateResponse` hooks may still change its context. */
export interface RenderableResponse extends HttpResponseBase {
  render(): HttpResponseBase | Promise<HttpResponseBase>;
  readonly isRendered: boolean;
}

/**
 * A loaded middleware: called with each request, it calls `getResponse` (or not)
 * and returns a response. Optional hooks run in Django's order:
 * `processView` top-down before the view, `processException` bottom-up when the
 * view throws, `processTemplateResponse` bottom-up for late-rendered responses.
 */
export interface Middleware {
  (request: HttpRequest): HttpResponseBase | Promise<HttpResponseBase>;
  processView?(request: HttpRequest, view: View, args: readonly string[], kwargs: ViewKwargs): MaybeResponse | Promise<MaybeResponse>;
  processException?(request: HttpRequest, error: unknown): MaybeResponse | Promise<MaybeResponse>;
  processTemplateResponse?(request: HttpRequest, response: RenderableResponse): HttpResponseBase | Promise<HttpResponseBase>;
}

/**
 * A middleware factory, as listed in `settings.MIDDLEWARE`: called once at
 * start-up with the next layer and the settings. It may throw `MiddlewareNotUsed`
 * to leave the chain.
 *
 * @example
 * export const timing: MiddlewareFactory = (getResponse) => async (request) => {
 *   const started = performance.now();
 *   const response = await getResponse(request);
 *   response.headers.set("Server-Timing", `app;dur=${performance.now() - started}`);
 *   return response;
 * };
 */
export type MiddlewareFactory = (getResponse: GetResponse, settings: Settings) => Middleware;

/** The old-style hooks Django's `MiddlewareMixin` calls. */
export interface MiddlewareHooks {
  /** Before the rest of the chain; return a response to answer now. */
  processRequest?(request: HttpRequest): MaybeResponse | Promise<MaybeResponse>;
  /** After; returns the response to send (the same or a new one). */
  processResponse?(request: HttpRequest, response: HttpResponseBase): HttpResponseBase | Promise<HttpResponseBase>;
  processView?: Middleware["processView"];
  processException?: Middleware["processException"];
  processTemplateResponse?: Middleware["processTemplateResponse"];
}

/**
 * Builds a middleware factory from request/response hooks (Django's `MiddlewareMixin`).
 * `setup` runs once at load time with the settings and may throw `MiddlewareNotUsed`.
 *
 * @example
 * export const poweredBy = defineMiddleware(() => ({
 *   processResponse(request, response) { response.headers.set("X-Powered-By", "tsgi"); return response; },
 * }));
 */
export function defineMiddleware(setup: (settings: Settings) => MiddlewareHooks): MiddlewareFactory {
  return acceptsSyncLayer((getResponse, settings) => {
    const hooks = setup(settings);
    // Hooks that answer synchronously keep the chain synchronous; the first promise switches to the async steps.
    const respond = (request: HttpRequest, response: HttpResponseBase): HttpResponseBase | Promise<HttpResponseBase> =>
      hooks.processResponse ? hooks.processResponse(request, response) : response;
    const rest = (request: HttpRequest, early: MaybeResponse): HttpResponseBase | Promise<HttpResponseBase> => {
      // `??` in the async version: only null and undefined continue down the chain.
      if (early !== undefined && early !== null) return respond(request, early);
      const response = getResponse(request);
      return isPromiseLike(response) ? Promise.resolve(response).then((value) => respond(request, value)) : respond(request, response);
    };
    const middleware: Middleware = (request) => {
      let early: MaybeResponse | Promise<MaybeResponse>;
      try {
        early = hooks.processRequest?.(request);
      } catch (error) {
        return Promise.reject(error);
      }
      return isPromiseLike(early) ? Promise.resolve(early).then((value) => rest(request, value)) : rest(request, early);
    };
    if (hooks.processView) middleware.processView = hooks.processView.bind(hooks);
    if (hooks.processException) middleware.processException = hooks.processException.bind(hooks);
    if (hooks.processTemplateResponse) middleware.processTemplateResponse = hooks.processTemplateResponse.bind(hooks);
    return middleware;
  });
}
