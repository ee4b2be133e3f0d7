import type { Environ } from "tsgi";
import { BadRequest, DisallowedHost, FrameworkError } from "../exceptions.js";
import type { Settings } from "../settings/types.js";
import { getCookieSigner } from "../signing/cookieSigner.js";
import type { ResolverMatch } from "../urls/resolverMatch.js";
import { RequestBody } from "./body/requestBody.js";
import type { UploadedFile } from "./body/uploadedFile.js";
import { acceptsMediaType } from "./accept.js";
import { parseContentType, type ParsedContentType } from "./contentType.js";
import { parseCookies } from "./cookies.js";
import { HttpHeaders } from "./headers.js";
import { DEBUG_DEFAULT_HOSTS, splitDomainPort, validateHost } from "./host.js";
import type { MultiValueDict } from "./multiValueDict.js";
import { QueryDict } from "./queryDict.js";
import { iriToUri } from "./response/redirect.js";
import { decodeComponent } from "./urlencoded.js";

/** `getSignedCookie` found no cookie of that name and no default was given. */
export class CookieNotFound extends FrameworkError {}

/** Options for {@link HttpRequest.getSignedCookie}. */
export interface GetSignedCookieOptions {
  /** Returned instead of throwing when the cookie is missing, tampered with or expired. */
  default?: string;
  salt?: string;
  /** Refuse cookies signed more than this many seconds ago. */
  maxAge?: number;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes the latin-1 "bytes" string TSGI uses for PATH_INFO into text; BadRequest when not UTF-8. */
function decodeEnvironPath(raw: string, key: string): string {
  if (!/[^\x00-\x7f]/.test(raw)) return raw;
  try {
    return utf8.decode(Buffer.from(raw, "latin1"));
  } catch {
    throw new BadRequest(`The request ${key === "PATH_INFO" ? "path" : "script name"} is not valid UTF-8.`, { expose: true });
  }
}

/** Percent-escapes a path for a URL, keeping what Django's `escape_uri_path` keeps. */
function escapeUriPath(path: string): string {
  return encodeURIComponent(path).replace(/%(2F|3A|40|26|2B|24|2C)/gi, (escape) => decodeURIComponent(escape));
}

/**
 * The request a view receives (Django's `HttpRequest`), built from the environ.
 *
 * Reading the body is asynchronous and lazy: nothing is read from `tsgi.input`
 * until a view or middleware asks, with `await request.body()`, `text()`,
 * `json()`, `POST()` or `FILES()` (each cached, so asking twice is free).
 *
 * @example
 * async function search(request: HttpRequest) {
 *   const q = request.GET.get("q") ?? "";
 *   const form = await request.POST();
 *   return new HttpResponse(`${q} ${form.get("name") ?? ""}`);
 * }
 */
// Per ALLOWED_HOSTS list, the Host values found allowed (a few per site: bounded, as clients choose
// them), with a copy of the list they were checked against: a list changed in place starts afresh.
const allowedHostsSeen = new WeakMap<readonly string[], { patterns: string[]; hosts: Set<string> }>();

function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function knownAllowedHosts(allowed: readonly string[]): Set<string> {
  let seen = allowedHostsSeen.get(allowed);
  if (seen !== undefined && sameList(seen.patterns, allowed)) return seen.hosts;
  seen = { patterns: [...allowed], hosts: new Set() };
  allowedHostsSeen.set(allowed, seen);
  return seen.hosts;
}

export class HttpRequest {
  /** The environ, Django's `request.META`. */
  readonly META: Environ;
  readonly settings: Settings;
  readonly method: string;
  /** The path below the mount point (`SCRIPT_NAME`), decoded. */
  readonly pathInfo: string;
  /** The full path, mount point included, decoded. */
  readonly path: string;
  readonly scriptName: string;
  /** Set by the handler once the URL is resolved. */
  resolverMatch: ResolverMatch | undefined;
  #GET: QueryDict | undefined;
  // Built on first use: most requests read none of these, or only some (Django's are lazy too).
  #headers: HttpHeaders | undefined;
  #cookies: Readonly<Record<string, string>> | undefined;
  #contentType: ParsedContentType | undefined;
  #data: RequestBody | undefined;

  /** Throws BadRequest when the path or query string is not valid UTF-8 (the handler answers 400). */
  constructor(environ: Environ, settings: Settings) {
    this.META = environ;
    this.settings = settings;
    this.method = environ.REQUEST_METHOD.toUpperCase();
    this.pathInfo = decodeEnvironPath(environ.PATH_INFO || "/", "PATH_INFO");
    this.scriptName = decodeEnvironPath(settings.FORCE_SCRIPT_NAME ?? environ.SCRIPT_NAME ?? "", "SCRIPT_NAME");
    // Without a mount point the path is PATH_INFO (the general form gives the same string).
    this.path =
      this.scriptName === "" && this.pathInfo.startsWith("/") ? this.pathInfo : `${this.scriptName.replace(/\/+$/, "")}/${this.pathInfo.replace(/^\//, "")}`;
    // Checked now, not when GET is first read, so a bad query is a 400 for every view.
    if (environ.QUERY_STRING) decodeComponent(environ.QUERY_STRING, { strict: true, source: "query string" });
  }

  /** The request headers, case-insensitive (`request.headers.get("User-Agent")`). */
  get headers(): HttpHeaders {
    return (this.#headers ??= new HttpHeaders(this.META));
  }

  /** The request's cookies by name (parsed from the Cookie header on first use). */
  get COOKIES(): Readonly<Record<string, string>> {
    return (this.#cookies ??= parseCookies(typeof this.META.HTTP_COOKIE === "string" ? this.META.HTTP_COOKIE : undefined));
  }

  /** The media type of the body, lower-cased (`multipart/form-data`). */
  get contentType(): string {
    return this.#parsedContentType().mediaType;
  }

  /** The Content-Type parameters (`charset`, `boundary`), names lower-cased. */
  get contentParams(): Readonly<Record<string, string>> {
    return this.#parsedContentType().params;
  }

  #parsedContentType(): ParsedContentType {
    return (this.#contentType ??= parseContentType(this.META.CONTENT_TYPE));
  }

  get #body(): RequestBody {
    return (this.#data ??= new RequestBody(this.META, this.settings, this.method, this.contentType, this.contentParams));
  }

  /** The query string parameters (parsed on first use; TooManyFieldsSent past DATA_UPLOAD_MAX_NUMBER_FIELDS). */
  get GET(): QueryDict {
    this.#GET ??= QueryDict.parse(this.META.QUERY_STRING ?? "", {
      strict: true,
      maxFields: this.settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
      source: "query string",
    });
    return this.#GET;
  }

  /** `http` or `https`, honouring SECURE_PROXY_SSL_HEADER behind a TLS-terminating proxy. */
  get scheme(): string {
    const proxyHeader = this.settings.SECURE_PROXY_SSL_HEADER;
    if (proxyHeader !== null) {
      const [key, secureValue] = proxyHeader;
      const value = this.META[key];
      if (typeof value === "string") return value.split(",", 1)[0]?.trim() === secureValue ? "https" : "http";
    }
    return this.META["tsgi.url_scheme"];
  }

  isSecure(): boolean {
    return this.scheme === "https";
  }

  /** The port the client connected to (X-Forwarded-Port when USE_X_FORWARDED_PORT). */
  getPort(): string {
    const forwarded = this.META.HTTP_X_FORWARDED_PORT;
    if (this.settings.USE_X_FORWARDED_PORT && typeof forwarded === "string") return forwarded;
    return this.META.SERVER_PORT;
  }

  /** The Host as the client sent it, unchecked. Prefer {@link getHost}. */
  getRawHost(): string {
    const forwarded = this.META.HTTP_X_FORWARDED_HOST;
    if (this.settings.USE_X_FORWARDED_HOST && typeof forwarded === "string") return forwarded;
    if (typeof this.META.HTTP_HOST === "string") return this.META.HTTP_HOST;
    const port = this.getPort();
    const defaultPort = this.isSecure() ? "443" : "80";
    return port === defaultPort ? this.META.SERVER_NAME : `${this.META.SERVER_NAME}:${port}`;
  }

  /**
   * The host, checked against ALLOWED_HOSTS; throws DisallowedHost (answered 400) otherwise.
   * In DEBUG with no ALLOWED_HOSTS, localhost names are allowed.
   *
   * @example
   * request.getHost(); // "example.com:8000"
   */
  getHost(): string {
    const host = this.getRawHost();
    let allowed = this.settings.ALLOWED_HOSTS;
    if (this.settings.DEBUG && allowed.length === 0) allowed = DEBUG_DEFAULT_HOSTS;
    // Hosts already found allowed are answered without splitting and matching them again.
    const known = knownAllowedHosts(allowed);
    if (known.has(host)) return host;
    const [domain] = splitDomainPort(host);
    if (domain && validateHost(domain, allowed)) {
      if (known.size < 100) known.add(host);
      return host;
    }
    let message = `Invalid HTTP_HOST header: ${JSON.stringify(host)}.`;
    message += domain
      ? ` You may need to add ${JSON.stringify(domain)} to ALLOWED_HOSTS.`
      : " The domain name provided is not valid according to RFC 1034/1035.";
    throw new DisallowedHost(message);
  }

  /**
   * The path with the query string, escaped for use in a URL.
   *
   * @example
   * request.getFullPath(); // "/search/?q=tsgi"
   */
  getFullPath(forceAppendSlash = false): string {
    return this.#fullPath(this.path, forceAppendSlash);
  }

  /** Like {@link getFullPath} but without the mount point. */
  getFullPathInfo(forceAppendSlash = false): string {
    return this.#fullPath(this.pathInfo, forceAppendSlash);
  }

  #fullPath(path: string, forceAppendSlash: boolean): string {
    const slash = forceAppendSlash && !path.endsWith("/") ? "/" : "";
    const query = this.META.QUERY_STRING ? `?${iriToUri(this.META.QUERY_STRING)}` : "";
    return `${escapeUriPath(path)}${slash}${query}`;
  }

  /**
   * An absolute URL for `location` (default: this request's URL), using the checked host.
   *
   * @example
   * request.buildAbsoluteUri("/login/"); // "https://example.com/login/"
   */
  buildAbsoluteUri(location?: string): string {
    const base = `${this.scheme}://${this.getHost()}`;
    if (location === undefined) return base + this.getFullPath();
    return iriToUri(new URL(location, base + escapeUriPath(this.path)).href);
  }

  /**
   * Whether the client's Accept header admits `mediaType` (Django's `accepts`).
   *
   * @example
   * if (request.accepts("application/json")) return new JsonResponse(data);
   */
  accepts(mediaType: string): boolean {
    return acceptsMediaType(this.headers.get("Accept"), mediaType);
  }

  /**
   * A cookie set with `response.setSignedCookie`, verified. Without a `default`,
   * throws CookieNotFound when absent and BadSignature / SignatureExpired when tampered or old.
   *
   * @example
   * const cart = request.getSignedCookie("cart", { salt: "shop", default: "" });
   */
  getSignedCookie(name: string, options: GetSignedCookieOptions = {}): string {
    const hasDefault = "default" in options && options.default !== undefined;
    const value = this.COOKIES[name];
    if (value === undefined) {
      if (hasDefault) return options.default as string;
      throw new CookieNotFound(`No cookie named ${JSON.stringify(name)} in the request.`);
    }
    try {
      const signer = getCookieSigner(this.settings, name + (options.salt ?? ""));
      return signer.unsign(value, options.maxAge === undefined ? {} : { maxAge: options.maxAge });
    } catch (error) {
      if (hasDefault) return options.default as string;
      throw error;
    }
  }

  /**
   * The raw body (at most DATA_UPLOAD_MAX_MEMORY_SIZE bytes, else RequestDataTooBig, answered 413).
   *
   * @example
   * const bytes = await request.body();
   */
  body(): Promise<Uint8Array> {
    return this.#body.body();
  }

  /** The body decoded as text (the Content-Type charset, else utf-8); BadRequest when it does not decode. */
  text(): Promise<string> {
    return this.#body.text();
  }

  /**
   * The body parsed as JSON; BadRequest (400) when it is not JSON.
   *
   * @example
   * const { title } = await request.json<{ title: string }>();
   */
  json<T = unknown>(): Promise<T> {
    return this.#body.json<T>();
  }

  /**
   * Form fields of a POST (urlencoded or multipart), empty for other methods and types, as in Django.
   *
   * @example
   * const name = (await request.POST()).get("name");
   */
  async POST(): Promise<QueryDict> {
    return (await this.#body.form()).post;
  }

  /** Files of a multipart POST, by field name. @example const avatar = (await request.FILES()).get("avatar"); */
  async FILES(): Promise<MultiValueDict<UploadedFile>> {
    return (await this.#body.form()).files;
  }

  /** Parses the form body now (POST and FILES at once). @example const { POST, FILES } = await request.load(); */
  async load(): Promise<{ POST: QueryDict; FILES: MultiValueDict<UploadedFile> }> {
    const { post, files } = await this.#body.form();
    return { POST: post, FILES: files };
  }

  /** False while {@link cleanup} has nothing to do (no form parsed): the handler then needs no close step. */
  get needsCleanup(): boolean {
    return this.#data?.needsCleanup ?? false;
  }

  /** Deletes spooled uploads. The handler calls it when the response is closed. */
  cleanup(): Promise<void> {
    return this.#data?.cleanup() ?? Promise.resolve();
  }
}
