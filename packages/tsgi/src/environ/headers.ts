import type { Environ } from "../types.js";

/**
 * The environ key for a request header: `Content-Type` -> `CONTENT_TYPE`,
 * `X-Forwarded-For` -> `HTTP_X_FORWARDED_FOR`. Names containing `_` give
 * undefined: they would be indistinguishable from their `-` twins once mapped,
 * which lets a client spoof a header a proxy set (Django's runserver and nginx drop them too).
 *
 * @example
 * environKeyForHeader("accept-language"); // "HTTP_ACCEPT_LANGUAGE"
 */
export function environKeyForHeader(name: string): string | undefined {
  const known = keyCache.get(name);
  if (known !== undefined || keyCache.has(name)) return known;
  const key = computeEnvironKey(name);
  // Bounded, so a client sending endless distinct names cannot grow it; the common names stay cached.
  if (keyCache.size < KEY_CACHE_LIMIT) keyCache.set(name, key);
  return key;
}

/** Header names as they arrive (any case) and their environ keys: every request repeats the same few. */
const keyCache = new Map<string, string | undefined>();
const KEY_CACHE_LIMIT = 1000;

function computeEnvironKey(name: string): string | undefined {
  if (name.includes("_")) return undefined;
  const upper = name.toUpperCase();
  if (upper === "CONTENT-TYPE") return "CONTENT_TYPE";
  if (upper === "CONTENT-LENGTH") return "CONTENT_LENGTH";
  return "HTTP_" + upper.replaceAll("-", "_");
}

/**
 * Adds one request header to an environ. A repeated header is joined with `, `
 * (RFC 9110 §5.3); repeated `Cookie` headers are joined with `; ` (RFC 6265 §5.4).
 *
 * @example
 * addRequestHeader(environ, "Accept", "text/html"); // environ.HTTP_ACCEPT === "text/html"
 */
export function addRequestHeader(environ: Record<string, unknown>, name: string, value: string): void {
  const key = environKeyForHeader(name);
  if (key === undefined) return;
  const previous = environ[key];
  if (typeof previous !== "string") {
    environ[key] = value;
    return;
  }
  environ[key] = previous + (key === "HTTP_COOKIE" ? "; " : ", ") + value;
}

/** Adds every header of a flat `[name, value, name, value, ...]` list (Node's `rawHeaders`). */
export function addRawRequestHeaders(environ: Environ | Record<string, unknown>, rawHeaders: readonly string[]): void {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    addRequestHeader(environ as Record<string, unknown>, rawHeaders[i] as string, rawHeaders[i + 1] as string);
  }
}
