import { currentContext } from "../handler/requestContext.js";
import type { HttpResponseBase } from "../http/response/base.js";
import type { View } from "../views/types.js";
import { caches } from "./caches.js";
import { addNeverCacheHeaders, patchCacheControl, type CacheControlDirectives } from "./cacheHeaders.js";
import { fetchCachedPage, storePage } from "./pageCache.js";
import { cacheMiddlewareSettings } from "./settings.js";

/** Options of {@link cachePage}. */
export interface CachePageOptions {
  /** The CACHES alias (default CACHE_MIDDLEWARE_ALIAS). */
  cache?: string;
  /** Key prefix (default CACHE_MIDDLEWARE_KEY_PREFIX). */
  keyPrefix?: string;
}

/** A response that renders late (TemplateResponse): rendered before it is cached. */
function isUnrendered(response: HttpResponseBase): response is HttpResponseBase & { render(): Promise<HttpResponseBase> | HttpResponseBase } {
  return "render" in response && typeof response.render === "function" && "isRendered" in response && response.isRendered === false;
}

function named<K>(wrapped: View<K>, inner: View<K>): View<K> {
  Object.defineProperty(wrapped, "name", { value: inner.name });
  return wrapped;
}

/**
 * Caches the view's GET/HEAD 200 responses for `seconds` (Django's `cache_page`), keyed on
 * the absolute URL and the request headers named in the response's `Vary`; sets `Expires`
 * and `Cache-Control: max-age`. Responses that set cookies, say `private`/`no-store`, or
 * stream are not stored. Returns a decorator.
 *
 * @example
 * path("news/", cachePage(60 * 15)(news));
 * path("feed/", cachePage(60, { cache: "redis", keyPrefix: "feed" })(feed));
 */
export function cachePage(seconds: number, options: CachePageOptions = {}): <K>(view: View<K>) => View<K> {
  return <K>(view: View<K>): View<K> =>
    named(async (request, kwargs) => {
      const settings = cacheMiddlewareSettings(currentContext()?.settings);
      const pageOptions = {
        cache: caches.get(options.cache ?? settings.alias),
        keyPrefix: options.keyPrefix ?? settings.keyPrefix,
        pageSeconds: seconds,
        defaultSeconds: settings.seconds,
      };
      const cached = await fetchCachedPage(request, pageOptions);
      if (cached !== undefined) return cached;
      let response = await view(request, kwargs);
      if (isUnrendered(response)) response = await response.render();
      await storePage(request, response, pageOptions);
      return response;
    }, view);
}

/**
 * Adds Cache-Control directives to the view's responses (Django's `cache_control`).
 *
 * @example
 * path("logo/", cacheControl({ maxAge: 3600, public: true })(logo));
 */
export function cacheControl(directives: CacheControlDirectives): <K>(view: View<K>) => View<K> {
  return <K>(view: View<K>): View<K> =>
    named(async (request, kwargs) => {
      const response = await view(request, kwargs);
      patchCacheControl(response, directives);
      return response;
    }, view);
}

/**
 * Marks the view's responses as never to be cached (Django's `never_cache`):
 * `Expires` now and `Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private`.
 *
 * @example
 * path("account/", neverCache(account));
 */
export function neverCache<K>(view: View<K>): View<K> {
  return named(async (request, kwargs) => {
    const response = await view(request, kwargs);
    addNeverCacheHeaders(response);
    return response;
  }, view);
}
