import { createHash } from "node:crypto";
import { parseHttpDate } from "tsgi/helpers";
import type { HttpRequest } from "../http/request.js";
import { HttpResponse, HttpResponseNotModified, type HttpResponseBase } from "../http/response.js";
import type { MiddlewareFactory } from "./types.js";

/**
 * Django's `ConditionalGetMiddleware`: gives GET responses an ETag (an MD5 of the body)
 * unless they have one or say `Cache-Control: no-store`, then answers the request's
 * conditions (RFC 9110 section 13.2.2): `If-None-Match` / `If-Modified-Since` -> 304,
 * `If-Match` / `If-Unmodified-Since` failing -> 412.
 *
 * @example
 * defineSettings({ MIDDLEWARE: [ConditionalGetMiddleware], ... });
 */
export const ConditionalGetMiddleware: MiddlewareFactory = (getResponse) => async (request) => {
  const response = await getResponse(request);
  // Django handles GET only; HEAD is the same request without the body (RFC 9110 9.3.2).
  if (request.method !== "GET" && request.method !== "HEAD") return response;
  if (needsEtag(response) && !response.headers.has("ETag") && response instanceof HttpResponse && !response.streaming) {
    const content = response.content;
    if (content.length > 0) response.headers.set("ETag", `"${createHash("md5").update(content).digest("hex")}"`);
  }
  const etag = response.headers.get("ETag");
  const lastModified = parseHttpDate(response.headers.get("Last-Modified"));
  if (etag === undefined && lastModified === undefined) return response;
  return conditionalResponse(request, response, etag, lastModified);
};

/**
 * Applies the request's preconditions to a response with validators (Django's
 * `get_conditional_response`), in RFC 9110's order. Returns the response itself, a
 * 304 carrying the cacheable headers and cookies, or a 412.
 *
 * @example
 * return conditionalResponse(request, response, '"v1"', undefined);
 */
export function conditionalResponse(
  request: HttpRequest,
  response: HttpResponseBase,
  etag: string | undefined,
  lastModified: number | undefined,
): HttpResponseBase {
  if (response.statusCode < 200 || response.statusCode >= 300) return response;
  const meta = request.META;
  const ifMatch = parseEtags(header(meta.HTTP_IF_MATCH));
  const ifUnmodifiedSince = parseHttpDate(header(meta.HTTP_IF_UNMODIFIED_SINCE));
  const ifNoneMatch = parseEtags(header(meta.HTTP_IF_NONE_MATCH));
  const ifModifiedSince = parseHttpDate(header(meta.HTTP_IF_MODIFIED_SINCE));
  const safe = request.method === "GET" || request.method === "HEAD";

  if (ifMatch.length > 0 && !ifMatchPasses(etag, ifMatch)) return preconditionFailed(response);
  if (ifMatch.length === 0 && ifUnmodifiedSince !== undefined && !(lastModified !== undefined && lastModified <= ifUnmodifiedSince)) {
    return preconditionFailed(response);
  }
  if (ifNoneMatch.length > 0 && !ifNoneMatchPasses(etag, ifNoneMatch)) {
    return safe ? notModified(response) : preconditionFailed(response);
  }
  if (ifNoneMatch.length === 0 && ifModifiedSince !== undefined && safe) {
    if (lastModified !== undefined && lastModified <= ifModifiedSince) return notModified(response);
  }
  return response;
}

/**
 * Parses an `If-(None-)Match` list: `["*"]`, or the quoted (possibly weak) ETags.
 *
 * @example
 * parseEtags('"a", W/"b"'); // ['"a"', 'W/"b"']
 */
export function parseEtags(value: string): string[] {
  if (value.trim() === "*") return ["*"];
  return value.match(/(?:W\/)?"[^"]*"/g) ?? [];
}

// One HTTP date parser for every package (RFC 9110's three forms, nothing else); still exported from here.
export { parseHttpDate };

function header(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function needsEtag(response: HttpResponseBase): boolean {
  const cacheControl = response.headers.get("Cache-Control") ?? "";
  return !cacheControl.split(/\s*,\s*/).some((directive) => directive.toLowerCase() === "no-store");
}

// If-Match uses the strong comparison: a weak ETag never matches.
function ifMatchPasses(etag: string | undefined, etags: readonly string[]): boolean {
  if (etag === undefined) return false;
  if (etags.length === 1 && etags[0] === "*") return true;
  if (etag.startsWith("W/")) return false;
  return etags.includes(etag);
}

// If-None-Match uses the weak comparison: W/"x" and "x" are the same representation.
function ifNoneMatchPasses(etag: string | undefined, etags: readonly string[]): boolean {
  if (etag === undefined) return true;
  if (etags.length === 1 && etags[0] === "*") return false;
  const strip = (tag: string) => tag.replace(/^W\//, "");
  return !etags.map(strip).includes(strip(etag));
}

/** The headers RFC 9110 15.4.5 says a 304 must repeat (Django's `_not_modified`). */
const NOT_MODIFIED_HEADERS = ["Cache-Control", "Content-Location", "Date", "ETag", "Expires", "Last-Modified", "Vary"];

function notModified(response: HttpResponseBase): HttpResponseBase {
  const result = new HttpResponseNotModified();
  for (const name of NOT_MODIFIED_HEADERS) {
    const value = response.headers.get(name);
    if (value !== undefined) result.headers.set(name, value);
  }
  for (const [name, cookie] of response.cookies) result.cookies.set(name, cookie);
  transferClosers(response, result);
  return result;
}

function preconditionFailed(response: HttpResponseBase): HttpResponseBase {
  const result = new HttpResponse("", { status: 412 });
  transferClosers(response, result);
  return result;
}

/** The replaced response's resources (an open file, a generator) must still be released. */
function transferClosers(from: HttpResponseBase, to: HttpResponseBase): void {
  to.addCloser(() => from.close());
}

/**
 * Adds names to the response's `Vary` header, once each, case-insensitively (Django's
 * `patch_vary_headers`), so caches keep one copy per value of those request headers.
 *
 * @example
 * patchVaryHeaders(response, ["Cookie"]);
 */
export function patchVaryHeaders(response: HttpResponseBase, names: readonly string[]): void {
  // The usual call (Vary: Cookie from the session and again from CSRF): what the general steps give, without their arrays.
  const only = names.length === 1 ? names[0] : undefined;
  if (only !== undefined) {
    const current = response.headers.get("Vary");
    if (current === undefined || (current === only && only !== "*" && /^[^,\s]+$/.test(only))) {
      response.headers.set("Vary", only);
      return;
    }
  }
  const existing = (response.headers.get("Vary") ?? "").split(",").map((name) => name.trim()).filter(Boolean);
  if (existing.includes("*")) return;
  const seen = new Set(existing.map((name) => name.toLowerCase()));
  for (const name of names) {
    if (!seen.has(name.toLowerCase())) {
      existing.push(name);
      seen.add(name.toLowerCase());
    }
  }
  response.headers.set("Vary", existing.includes("*") ? "*" : existing.join(", "));
}
