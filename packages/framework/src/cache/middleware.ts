import type { HttpRequest } from "../http/request.js";
import type { HttpResponseBase } from "../http/response/base.js";
import type { MiddlewareFactory } from "../middleware/types.js";
import type { Settings } from "../settings/types.js";
import { caches } from "./caches.js";
import { fetchCachedPage, storePage, type PageCacheOptions } from "./pageCache.js";
import { cacheMiddlewareSettings } from "./settings.js";

/**
 * Requests FetchFromCacheMiddleware looked up and missed: only those are stored on the way
 * out (Django's `request._cache_update_cache`), so a page served from the cache, or a
 * request the fetch half never saw, is not written again.
 */
const missed = new WeakSet<HttpRequest>();

function pageOptions(settings: Settings): PageCacheOptions {
  const { seconds, keyPrefix, alias } = cacheMiddlewareSettings(settings);
  return { cache: caches.get(alias), keyPrefix, pageSeconds: undefined, defaultSeconds: seconds };
}

/**
 * The response half of the per-site cache (Django's `UpdateCacheMiddleware`): first in
 * MIDDLEWARE, so it sees the response last. Stores GET/HEAD 200 responses that
 * `FetchFromCacheMiddleware` missed, for their max-age or CACHE_MIDDLEWARE_SECONDS.
 *
 * @example
 * MIDDLEWARE: [UpdateCacheMiddleware, CommonMiddleware, FetchFromCacheMiddleware]
 */
export const UpdateCacheMiddleware: MiddlewareFactory = (getResponse, settings) => async (request) => {
  const response = await getResponse(request);
  if (!missed.has(request)) return response;
  missed.delete(request);
  await storePage(request, response, pageOptions(settings));
  return response;
};

/**
 * The request half of the per-site cache (Django's `FetchFromCacheMiddleware`): last in
 * MIDDLEWARE, it answers GET/HEAD requests from the cache (with an `Age` header).
 *
 * @example
 * MIDDLEWARE: [UpdateCacheMiddleware, CommonMiddleware, FetchFromCacheMiddleware]
 */
export const FetchFromCacheMiddleware: MiddlewareFactory = (getResponse, settings) => async (request) => {
  if (request.method !== "GET" && request.method !== "HEAD") return getResponse(request);
  const cached: HttpResponseBase | undefined = await fetchCachedPage(request, pageOptions(settings));
  if (cached !== undefined) return cached;
  missed.add(request);
  return getResponse(request);
};

/**
 * Both halves in one middleware (Django's `CacheMiddleware`), for sites with nothing that
 * must run between them.
 *
 * @example
 * MIDDLEWARE: [CacheMiddleware]
 */
export const CacheMiddleware: MiddlewareFactory = (getResponse, settings) => async (request) => {
  const options = pageOptions(settings);
  const cached = await fetchCachedPage(request, options);
  if (cached !== undefined) return cached;
  const response = await getResponse(request);
  await storePage(request, response, options);
  return response;
};
