import { parse as parseCookieHeader, serialize as serializeCookieHeader } from "cookie";
import { BadHeaderError } from "../exceptions.js";

/** Attributes for `response.setCookie()`, with Django's meanings. */
export interface CookieOptions {
  /** Lifetime in seconds; also sets `Expires` for old clients. */
  maxAge?: number;
  /** A date (converted to `Max-Age`, as Django does) or a preformatted HTTP date string. */
  expires?: Date | string;
  /** Default `/`. */
  path?: string;
  domain?: string;
  secure?: boolean;
  httpOnly?: boolean;
  sameSite?: "Lax" | "Strict" | "None" | "lax" | "strict" | "none";
}

/** A cookie queued on a response (Django's Morsel). */
export interface ResponseCookie {
  name: string;
  value: string;
  options: Readonly<CookieOptions>;
}

/**
 * Parses a `Cookie` request header into `{ name: value }` (the last of repeated names wins).
 *
 * @example
 * parseCookies("a=1; b=hello%20world"); // { a: "1", b: "hello world" }
 */
export function parseCookies(header: string | undefined): Record<string, string> {
  if (header === undefined || header === "") return {};
  const parsed = parseCookieHeader(header);
  const cookies: Record<string, string> = {};
  // for-in over own keys visits them in Object.entries' order without its array of pairs.
  for (const name in parsed) {
    if (!Object.hasOwn(parsed, name)) continue;
    const value = parsed[name];
    if (value !== undefined) cookies[name] = value;
  }
  return cookies;
}

/**
 * Formats a date as an HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`).
 *
 * @example
 * response.headers.set("Last-Modified", httpDate(stats.mtime));
 */
export function httpDate(date: Date | number): string {
  return new Date(date).toUTCString();
}

// Formatted HTTP dates by whole second: every response setting a cookie with a Max-Age asks for one.
const datesBySecond = new Map<number, string>();

/**
 * {@link httpDate} of a time in milliseconds, formatted once per second (the format has no
 * finer unit): the cookie `Expires` for `Date.now() + maxAge * 1000`.
 *
 * @example
 * httpDateAt(Date.now() + 3600_000); // "Mon, 07 Dec 2026 13:00:00 GMT"
 */
export function httpDateAt(milliseconds: number): string {
  // Negative times round the other way in Date (towards zero): not cached.
  if (!(milliseconds >= 0)) return httpDate(milliseconds);
  const second = Math.floor(milliseconds / 1000);
  let text = datesBySecond.get(second);
  if (text === undefined) {
    text = httpDate(second * 1000);
    if (datesBySecond.size >= 64) datesBySecond.clear();
    datesBySecond.set(second, text);
  }
  return text;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Builds a cookie with Django's `set_cookie` semantics: a `Date` expiry becomes
 * `Max-Age` (never both set by hand), `Max-Age` adds a matching `Expires`, `Path` defaults to `/`.
 * Throws TypeError for bad attribute combinations and BadHeaderError for unsafe names.
 *
 * @example
 * makeCookie("theme", "dark", { maxAge: 3600, sameSite: "Lax" });
 */
export function makeCookie(name: string, value: string, options: CookieOptions = {}): ResponseCookie {
  if (!TOKEN.test(name)) {
    throw new BadHeaderError(`Invalid cookie name ${JSON.stringify(name)}: use letters, digits and !#$%&'*+-.^_\`|~ only.`);
  }
  const normalized: CookieOptions = { ...options, path: options.path ?? "/" };
  if (options.expires instanceof Date) {
    if (options.maxAge !== undefined) throw new TypeError("setCookie: 'expires' and 'maxAge' can't be used together.");
    // One second added as Django does, so the rounded Max-Age matches the date.
    normalized.maxAge = Math.max(0, Math.floor((options.expires.getTime() - Date.now()) / 1000) + 1);
    delete normalized.expires;
  }
  if (normalized.maxAge !== undefined) {
    if (!Number.isFinite(normalized.maxAge)) throw new TypeError("setCookie: 'maxAge' must be a finite number of seconds.");
    normalized.maxAge = Math.trunc(normalized.maxAge);
    normalized.expires ??= httpDateAt(Date.now() + normalized.maxAge * 1000);
  }
  if (normalized.sameSite !== undefined && !SAME_SITE.has(normalized.sameSite.toLowerCase())) {
    throw new TypeError('setCookie: sameSite must be "Lax", "None", or "Strict".');
  }
  return { name, value, options: normalized };
}

/**
 * The `Set-Cookie` header value for a queued cookie (values are percent-encoded;
 * {@link parseCookies} decodes them).
 *
 * @example
 * serializeCookie(makeCookie("a", "b c")); // "a=b%20c; Path=/"
 */
export function serializeCookie(cookie: ResponseCookie): string {
  const { options } = cookie;
  let header = isPlain(cookie) ? plainSetCookie(cookie) : librarySetCookie(cookie);
  // The cookie library only takes Date objects; a preformatted date string goes in as is.
  if (options.expires !== undefined) {
    const expires = typeof options.expires === "string" ? options.expires : httpDate(options.expires);
    if (/[\r\n;]/.test(expires)) throw new BadHeaderError("Cookie expiry date contains a forbidden character.");
    header += `; Expires=${expires}`;
  }
  return header;
}

// The cookie library's checks (RFC 6265 4.1.1): a name it accepts, and a path needing no check.
const COOKIE_NAME = /^[\u0021-\u003A\u003C\u003E-\u007E]+$/;
const SAME_SITE = new Map([
  ["lax", "; SameSite=Lax"],
  ["strict", "; SameSite=Strict"],
  ["none", "; SameSite=None"],
]);

/** A cookie the direct builder writes exactly as the library would: no domain, path `/` or none, an integer Max-Age, a known SameSite. */
function isPlain({ name, options }: ResponseCookie): boolean {
  return (
    !options.domain &&
    (options.path === undefined || options.path === "/" || options.path === "") &&
    (options.maxAge === undefined || Number.isInteger(options.maxAge)) &&
    (options.sameSite === undefined || SAME_SITE.has(options.sameSite.toLowerCase())) &&
    COOKIE_NAME.test(name)
  );
}

/** The library's `serialize` for a {@link isPlain} cookie, without its option object and checks: the same attributes in the same order. */
function plainSetCookie({ name, value, options }: ResponseCookie): string {
  let header = `${name}=${value ? encodeURIComponent(value) : ""}`;
  if (options.maxAge !== undefined) header += `; Max-Age=${options.maxAge}`;
  if (options.path) header += `; Path=${options.path}`;
  if (options.httpOnly === true) header += "; HttpOnly";
  if (options.secure === true) header += "; Secure";
  if (options.sameSite !== undefined) header += SAME_SITE.get(options.sameSite.toLowerCase()) ?? "";
  return header;
}

/**
 * The `Set-Cookie` value without `Expires`, through the cookie library (which checks the
 * domain, path and value). Exported for the test comparing it with the direct builder.
 *
 * @example
 * librarySetCookie(makeCookie("a", "b c", { domain: "example.com" })); // "a=b%20c; Domain=example.com; Path=/"
 */
export function librarySetCookie(cookie: ResponseCookie): string {
  const { options } = cookie;
  return serializeCookieHeader(cookie.name, cookie.value, {
    ...(options.maxAge !== undefined && { maxAge: options.maxAge }),
    ...(options.path !== undefined && { path: options.path }),
    ...(options.domain !== undefined && { domain: options.domain }),
    ...(options.secure === true && { secure: true }),
    ...(options.httpOnly === true && { httpOnly: true }),
    ...(options.sameSite !== undefined && { sameSite: options.sameSite.toLowerCase() as "lax" | "strict" | "none" }),
  });
}
