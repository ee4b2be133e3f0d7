import { createHash } from "node:crypto";
import { parseHttpDate } from "tsgi/helpers";
import type { HttpRequest } from "../http/request.js";
import type { HttpResponseBase } from "../http/response/base.js";
import { HttpResponse } from "../http/response/httpResponse.js";
import type { BaseCache } from "./backend.js";
import { getMaxAge, hasVaryHeader, patchResponseHeaders, varyHeaders } from "./cacheHeaders.js";

/** What a cached page is stored as: the cache holds JSON. */
interface StoredResponse {
  status: number;
  headers: Array<[string, string]>;
  /** The body, base64. */
  body: string;
}

/** Which cache, key prefix and timeout a page cache (middleware or `cachePage`) uses. */
export interface PageCacheOptions {
  cache: BaseCache;
  keyPrefix: string;
  /** The timeout given to `cachePage`; undefined lets the response's max-age (else `defaultSeconds`) decide. */
  pageSeconds: number | undefined;
  /** CACHE_MIDDLEWARE_SECONDS. */
  defaultSeconds: number;
}

const md5 = (text: string): string => createHash("md5").update(text).digest("hex");

/** The key of the list of headers the page at this URL varies on (Django's `_generate_cache_header_key`). */
function headerListKey(request: HttpRequest, keyPrefix: string): string {
  return `views.decorators.cache.cache_header.${keyPrefix}.${md5(request.buildAbsoluteUri())}`;
}

/** The page's key: URL, method and the values of the Vary headers (Django's `_generate_cache_key`). */
function pageKey(request: HttpRequest, method: string, headerList: readonly string[], keyPrefix: string): string {
  const context = createHash("md5");
  for (const metaName of headerList) {
    const value = request.META[metaName];
    if (typeof value === "string") context.update(value);
  }
  return `views.decorators.cache.cache_page.${keyPrefix}.${method}.${md5(request.buildAbsoluteUri())}.${context.digest("hex")}`;
}

/**
 * The key a cached page for this request would have, or undefined when no page at this
 * URL was learnt yet (Django's `get_cache_key`).
 *
 * @example
 * const key = await getCacheKey(request, "", "GET", caches.get());
 */
export async function getCacheKey(request: HttpRequest, keyPrefix: string, method: string, cache: BaseCache): Promise<string | undefined> {
  const headerList = await cache.get<string[]>(headerListKey(request, keyPrefix));
  return headerList === undefined ? undefined : pageKey(request, method, headerList, keyPrefix);
}

/**
 * Records which request headers the response varies on, for `seconds`, and returns the
 * page's key (Django's `learn_cache_key`).
 *
 * @example
 * const key = await learnCacheKey(request, response, 600, "", caches.get());
 */
export async function learnCacheKey(request: HttpRequest, response: HttpResponseBase, seconds: number, keyPrefix: string, cache: BaseCache): Promise<string> {
  const headerList = varyHeaders(response)
    .map((name) => `HTTP_${name.toUpperCase().replace(/-/g, "_")}`)
    .sort();
  await cache.set(headerListKey(request, keyPrefix), headerList, seconds);
  return pageKey(request, request.method, headerList, keyPrefix);
}

/**
 * The cached page for a GET or HEAD request, with an `Age` header, or undefined (Django's
 * `FetchFromCacheMiddleware.process_request`). A HEAD request also finds a cached GET page.
 *
 * @example
 * const cached = await fetchCachedPage(request, options);
 */
export async function fetchCachedPage(request: HttpRequest, options: PageCacheOptions): Promise<HttpResponseBase | undefined> {
  if (request.method !== "GET" && request.method !== "HEAD") return undefined;
  const { cache, keyPrefix } = options;
  let stored: StoredResponse | undefined;
  const getKey = await getCacheKey(request, keyPrefix, "GET", cache);
  if (getKey === undefined) return undefined;
  stored = await cache.get<StoredResponse>(getKey);
  if (stored === undefined && request.method === "HEAD") {
    const headKey = await getCacheKey(request, keyPrefix, "HEAD", cache);
    if (headKey !== undefined) stored = await cache.get<StoredResponse>(headKey);
  }
  if (stored === undefined) return undefined;
  const response = new HttpResponse(Buffer.from(stored.body, "base64"), { status: stored.status, headers: stored.headers });
  const maxAge = getMaxAge(response);
  const expires = parseHttpDate(response.headers.get("Expires"));
  if (maxAge !== undefined && expires !== undefined) {
    const remaining = expires - Math.floor(Date.now() / 1000);
    response.headers.set("Age", Math.max(0, maxAge - remaining));
  }
  return response;
}

/**
 * Stores a response for later requests when it may be shared (Django's
 * `UpdateCacheMiddleware.process_response`): GET/HEAD, status 200 (304 only gets the
 * headers), not streaming, no cookies set, not `Cache-Control: private`, and a timeout
 * above 0 (the page timeout, else the response's max-age, else the default).
 * Sets `Expires`/`max-age` on every response it lets through for caching.
 *
 * @example
 * await storePage(request, response, options);
 */
export async function storePage(request: HttpRequest, response: HttpResponseBase, options: PageCacheOptions): Promise<void> {
  if (request.method !== "GET" && request.method !== "HEAD") return;
  if (response.streaming || (response.statusCode !== 200 && response.statusCode !== 304)) return;
  // A response setting a cookie is someone's (a session, a CSRF token): never replay it to others.
  if (response.cookies.size > 0 || response.headers.has("Set-Cookie")) return;
  if (hasVaryHeader(response, "*")) return;
  const cacheControl = (response.headers.get("Cache-Control") ?? "").toLowerCase();
  if (/(^|[\s,])(private|no-store)([\s,=]|$)/.test(cacheControl)) return;
  let seconds = options.pageSeconds;
  if (seconds === undefined) {
    const maxAge = getMaxAge(response);
    if (maxAge === 0) return;
    seconds = maxAge ?? options.defaultSeconds;
  }
  patchResponseHeaders(response, seconds);
  if (seconds <= 0 || response.statusCode !== 200 || !(response instanceof HttpResponse)) return;
  const key = await learnCacheKey(request, response, seconds, options.keyPrefix, options.cache);
  const stored: StoredResponse = {
    status: response.statusCode,
    headers: [...response.headers].filter(([name]) => name.toLowerCase() !== "age"),
    body: Buffer.from(response.content).toString("base64"),
  };
  await options.cache.set(key, stored, seconds);
}
