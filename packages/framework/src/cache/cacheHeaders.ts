import { formatHttpDate } from "tsgi/helpers";
import type { HttpResponseBase } from "../http/response/base.js";

/**
 * Cache-Control directives in camelCase (`maxAge` -> `max-age`): true writes the bare
 * directive, a number or string writes `name=value`, false or undefined leaves it out.
 */
export interface CacheControlDirectives {
  maxAge?: number;
  sMaxage?: number;
  public?: boolean;
  private?: boolean;
  noCache?: boolean | string;
  noStore?: boolean;
  noTransform?: boolean;
  mustRevalidate?: boolean;
  proxyRevalidate?: boolean;
  mustUnderstand?: boolean;
  immutable?: boolean;
  staleWhileRevalidate?: number;
  staleIfError?: number;
  [directive: string]: boolean | number | string | undefined;
}

const kebab = (name: string): string => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`).replace(/_/g, "-").toLowerCase();

/** The response's Cache-Control as directive -> value (true for bare directives). */
function parseCacheControl(value: string | undefined): Map<string, string | true> {
  const directives = new Map<string, string | true>();
  for (const part of (value ?? "").split(",")) {
    const [rawName, ...rest] = part.split("=");
    const name = (rawName ?? "").trim().toLowerCase();
    if (name === "") continue;
    directives.set(name, rest.length === 0 ? true : rest.join("=").trim());
  }
  return directives;
}

/**
 * Adds directives to the response's Cache-Control (Django's `patch_cache_control`):
 * an existing max-age wins when smaller, and `public`/`private` replace each other.
 *
 * @example
 * patchCacheControl(response, { maxAge: 3600, public: true });
 */
export function patchCacheControl(response: HttpResponseBase, directives: CacheControlDirectives): void {
  const current = parseCacheControl(response.headers.get("Cache-Control"));
  const wanted = new Map<string, string | true>();
  for (const [name, value] of Object.entries(directives)) {
    if (value === undefined || value === false) continue;
    wanted.set(kebab(name), value === true ? true : String(value));
  }
  const existingMaxAge = current.get("max-age");
  const newMaxAge = wanted.get("max-age");
  if (typeof existingMaxAge === "string" && typeof newMaxAge === "string") {
    wanted.set("max-age", String(Math.min(Number(existingMaxAge), Number(newMaxAge))));
  }
  if (wanted.has("public")) current.delete("private");
  if (wanted.has("private")) current.delete("public");
  for (const [name, value] of wanted) current.set(name, value);
  const text = [...current].map(([name, value]) => (value === true ? name : `${name}=${value}`)).join(", ");
  response.headers.set("Cache-Control", text);
}

/**
 * The response's `max-age` in seconds, or undefined when absent or not an integer (Django's `get_max_age`).
 *
 * @example
 * getMaxAge(response); // 600
 */
export function getMaxAge(response: HttpResponseBase): number | undefined {
  const value = parseCacheControl(response.headers.get("Cache-Control")).get("max-age");
  if (typeof value !== "string" || !/^\d+$/.test(value)) return undefined;
  return Number(value);
}

/**
 * Sets `Expires` (unless present) and `max-age` for a page cached `seconds` (Django's
 * `patch_response_headers`); a negative value counts as 0.
 *
 * @example
 * patchResponseHeaders(response, 600);
 */
export function patchResponseHeaders(response: HttpResponseBase, seconds: number): void {
  const timeout = Math.max(0, Math.floor(seconds));
  if (!response.headers.has("Expires")) response.headers.set("Expires", formatHttpDate(Math.floor(Date.now() / 1000) + timeout));
  patchCacheControl(response, { maxAge: timeout });
}

/**
 * Marks a response as never to be cached by anyone (Django's `add_never_cache_headers`):
 * `Expires` now, `Cache-Control: max-age=0, no-cache, no-store, must-revalidate, private`.
 *
 * @example
 * addNeverCacheHeaders(response);
 */
export function addNeverCacheHeaders(response: HttpResponseBase): void {
  patchResponseHeaders(response, -1);
  patchCacheControl(response, { noCache: true, noStore: true, mustRevalidate: true, private: true });
}

/**
 * The request header names in the response's `Vary`, as written.
 *
 * @example
 * varyHeaders(response); // ["Accept-Encoding", "Cookie"]
 */
export function varyHeaders(response: HttpResponseBase): string[] {
  return (response.headers.get("Vary") ?? "").split(",").map((name) => name.trim()).filter(Boolean);
}

/**
 * Whether the response varies on `name` (Django's `has_vary_header`).
 *
 * @example
 * hasVaryHeader(response, "Cookie");
 */
export function hasVaryHeader(response: HttpResponseBase, name: string): boolean {
  return varyHeaders(response).some((header) => header.toLowerCase() === name.toLowerCase());
}
