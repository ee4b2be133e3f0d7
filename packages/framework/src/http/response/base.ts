import { STATUS_CODES } from "node:http";
import { ImproperlyConfigured } from "../../exceptions.js";
import { currentContext } from "../../handler/requestContext.js";
import { getCookieSigner } from "../../signing/cookieSigner.js";
import { makeCookie, type CookieOptions, type ResponseCookie } from "../cookies.js";
import { ResponseHeaderMap } from "./headerMap.js";

/** Options every response class accepts. */
export interface ResponseOptions {
  status?: number;
  /** Reason phrase; defaults to the standard one for the status. */
  reason?: string;
  /** Default `text/html; charset=<DEFAULT_CHARSET>` (utf-8). */
  contentType?: string;
  charset?: string;
  headers?: Iterable<readonly [string, string]> | Record<string, string>;
}

// What a response made without options reads (never written).
const NO_OPTIONS: ResponseOptions = Object.freeze({});

// The charset named in each Content-Type seen (null: none), so building a response runs no regex
// and allocates no match: content types are few, set by code; the bound keeps odd ones from piling up.
const charsets = new Map<string, string | null>();

function charsetIn(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  let charset = charsets.get(contentType);
  if (charset === undefined) {
    charset = /;\s*charset=["']?([^"';\s]+)/i.exec(contentType)?.[1] ?? null;
    if (charsets.size < 200) charsets.set(contentType, charset);
  }
  return charset ?? undefined;
}

/** Options for {@link HttpResponseBase.setSignedCookie}. */
export interface SignedCookieOptions extends CookieOptions {
  /** Extra salt, added to the cookie name (as Django does). */
  salt?: string;
  /** The secret; default: the running application's `SECRET_KEY`. */
  secretKey?: string;
}

/**
 * What every response shares (Django's `HttpResponseBase`): status, headers,
 * cookies, charset, and the resources to close when the server is done.
 * Use a subclass: {@link HttpResponse}, `StreamingHttpResponse`, `FileResponse`, ...
 */
export abstract class HttpResponseBase {
  /** True for responses whose body is an iterable produced while sending. */
  abstract readonly streaming: boolean;

  statusCode: number;
  #reason: string | undefined;
  readonly headers: ResponseHeaderMap;
  // The cookie map and the closer list are made on first use: most responses have neither.
  #cookies: Map<string, ResponseCookie> | undefined;
  #closers: Array<() => void | Promise<void>> | undefined;
  #closed = false;
  readonly #charset: string | undefined;

  constructor(options: ResponseOptions = NO_OPTIONS) {
    const status = options.status ?? 200;
    if (!Number.isInteger(status) || status < 100 || status > 599) {
      throw new TypeError(`HTTP status code must be an integer from 100 to 599 (got ${status}).`);
    }
    this.statusCode = status;
    this.#reason = options.reason;
    this.#charset = options.charset;
    this.headers = new ResponseHeaderMap(options.headers);
    if (options.contentType !== undefined) {
      if (this.headers.has("Content-Type")) throw new TypeError("Pass contentType or a Content-Type header, not both.");
      this.headers.set("Content-Type", options.contentType);
    } else if (!this.headers.has("Content-Type")) {
      this.headers.set("Content-Type", `text/html; charset=${this.charset}`);
    }
  }

  /** Cookies to send, one `Set-Cookie` header each. */
  get cookies(): Map<string, ResponseCookie> {
    return (this.#cookies ??= new Map());
  }

  /** True when a cookie is queued; unlike `cookies.size`, makes no map. */
  get hasCookies(): boolean {
    return this.#cookies !== undefined && this.#cookies.size > 0;
  }

  /** Functions run by `close()`: open files, generators, temporary uploads. */
  get resourceClosers(): Array<() => void | Promise<void>> {
    return (this.#closers ??= []);
  }

  /** True when a closer is registered; unlike `resourceClosers.length`, makes no array. */
  get hasClosers(): boolean {
    return this.#closers !== undefined && this.#closers.length > 0;
  }

  get reasonPhrase(): string {
    return this.#reason ?? STATUS_CODES[this.statusCode] ?? "Unknown Status Code";
  }

  set reasonPhrase(value: string) {
    if (/[\r\n]/.test(value)) throw new TypeError("Reason phrases can't contain newlines.");
    this.#reason = value;
  }

  /** The explicit charset, else the one in Content-Type, else DEFAULT_CHARSET of the running app (utf-8). */
  get charset(): string {
    if (this.#charset !== undefined) return this.#charset;
    return charsetIn(this.headers?.get("Content-Type")) ?? currentContext()?.settings.DEFAULT_CHARSET ?? "utf-8";
  }

  /** `"200 OK"`, as `startResponse` wants it. */
  get statusLine(): string {
    return `${this.statusCode} ${this.reasonPhrase}`;
  }

  /**
   * Queues a cookie (Django's `set_cookie`).
   *
   * @example
   * response.setCookie("theme", "dark", { maxAge: 3600 * 24 * 365, sameSite: "Lax" });
   */
  setCookie(name: string, value = "", options: CookieOptions = {}): void {
    this.cookies.set(name, makeCookie(name, value, options));
  }

  /**
   * Sets a cookie signed with SECRET_KEY, read back with `request.getSignedCookie()`.
   *
   * @example
   * response.setSignedCookie("cart", "42", { salt: "shop", httpOnly: true });
   */
  setSignedCookie(name: string, value: string, options: SignedCookieOptions = {}): void {
    const { salt = "", secretKey, ...cookieOptions } = options;
    const settings = secretKey !== undefined ? { SECRET_KEY: secretKey, SECRET_KEY_FALLBACKS: [] } : currentContext()?.settings;
    if (settings === undefined) {
      throw new ImproperlyConfigured("setSignedCookie needs SECRET_KEY: call it while handling a request, or pass { secretKey }.");
    }
    this.setCookie(name, getCookieSigner(settings, name + salt).sign(value), cookieOptions);
  }

  /**
   * Tells the client to drop a cookie (Django's `delete_cookie`): empty value, expired,
   * `Secure` kept for `__Secure-`/`__Host-` names and `SameSite=None`.
   *
   * @example
   * response.deleteCookie("theme");
   */
  deleteCookie(name: string, options: Pick<CookieOptions, "path" | "domain" | "sameSite"> = {}): void {
    const secure = name.startsWith("__Secure-") || name.startsWith("__Host-") || options.sameSite?.toLowerCase() === "none";
    this.setCookie(name, "", {
      ...options,
      maxAge: 0,
      expires: "Thu, 01 Jan 1970 00:00:00 GMT",
      ...(secure && { secure: true }),
    });
  }

  /** Registers something to release when the response is closed. */
  addCloser(closer: () => void | Promise<void>): void {
    this.resourceClosers.push(closer);
  }

  /** Runs every closer once, even if one throws (the first error is rethrown after all ran). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#closers === undefined) return;
    let firstError: unknown;
    for (const closer of this.#closers.splice(0)) {
      try {
        await closer();
      } catch (error) {
        firstError ??= error;
      }
    }
    if (firstError !== undefined) throw firstError;
  }

  /** The body as the server will iterate it. */
  abstract bodyChunks(): Iterable<Uint8Array> | AsyncIterable<Uint8Array>;
}
