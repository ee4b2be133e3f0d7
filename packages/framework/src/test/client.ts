import { AsyncLocalStorage } from "node:async_hooks";
import { callApp, type Application, type TestResponse } from "tsgi";
import { DONT_ENFORCE_CSRF_CHECKS } from "../csrf/middleware.js";
import { FrameworkError } from "../exceptions.js";
import type { Settings } from "../settings/types.js";
import { gotRequestException } from "../signals/index.js";
import { templateRendered } from "../templates/render.js";
import { getBackends, type Credentials } from "../auth/backends.js";
import { authenticate, BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, sessionAuthHash } from "../auth/login.js";
import type { AuthUser } from "../auth/user.js";
import { ImproperlyConfigured } from "../exceptions.js";
import { sessionBackendFor } from "../sessions/engine.js";
import { Session } from "../sessions/session.js";
import { RequestFactory } from "./requestFactory.js";
import { CookieJar } from "./cookieJar.js";
import { encodeBody, encodeUrlencoded, MULTIPART_CONTENT, type ClientData } from "./encode.js";
import { clientResponse, type ClientResponse, type RedirectHop, type RenderedTemplate } from "./response.js";

/** The client followed more redirects than it allows, or went in a circle. */
export class RedirectCycleError extends FrameworkError {}

/** Options of a {@link Client}. */
export interface ClientOptions {
  /** Check CSRF tokens as a browser would have to pass them (Django's `enforce_csrf_checks`; default off). */
  enforceCsrfChecks?: boolean;
  /** Headers sent with every request. */
  headers?: Readonly<Record<string, string>>;
  /** Host of the requests; default the first plain name of ALLOWED_HOSTS, else "testserver". */
  host?: string;
  /** Send requests as https. */
  secure?: boolean;
  /** Throw the view's error instead of returning the 500 page (Django's `raise_request_exception`; default true). */
  raiseRequestException?: boolean;
}

/** Options of one request. */
export interface RequestOptions {
  headers?: Readonly<Record<string, string>>;
  /** Follow redirects, recording them in `redirectChain`. */
  follow?: boolean;
  secure?: boolean;
  /** Query string values, added to the path's own. */
  query?: ClientData;
  /** Environ keys set last. */
  environ?: Readonly<Record<string, unknown>>;
}

/** Options of a request with a body. */
export interface BodyRequestOptions extends RequestOptions {
  /** How `data` is encoded: multipart (default for POST), urlencoded, JSON, or any type for a string/bytes body. */
  contentType?: string;
}

/** An app the client can call: a framework application (with its settings) or any TSGI app. */
export type ClientApp = Application & { readonly settings?: Settings };

/** What one request of the client records while the app runs. */
interface Capture {
  rendered: RenderedTemplate[];
  errors: unknown[];
}

const capture = new AsyncLocalStorage<Capture>();
let receiverConnected = false;

function connectTemplateReceiver(): void {
  if (receiverConnected) return;
  receiverConnected = true;
  templateRendered.connect((_sender, { templateName, context }) => {
    capture.getStore()?.rendered.push({ name: templateName, context });
  }, { dispatchUid: "tsgi.test.client" });
  gotRequestException.connect((_sender, { error }) => {
    capture.getStore()?.errors.push(error);
  }, { dispatchUid: "tsgi.test.client" });
}

function defaultHost(settings: Settings | undefined): string {
  for (const host of settings?.ALLOWED_HOSTS ?? []) {
    if (host === "*" || host.startsWith(".")) continue;
    return host;
  }
  return "testserver";
}

const MAX_REDIRECTS = 20;

/** Cookie values arrive percent-encoded, as the server's cookie parser reads them. */
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Django's test `Client`: calls the application in-process (tsgi's `callApp`, no socket),
 * keeps cookies (so sessions and logins last across requests), encodes form, multipart and
 * JSON bodies, follows redirects on request, and reports the templates and context used.
 * CSRF checks are off unless `enforceCsrfChecks` is set, as in Django.
 *
 * @example
 * const client = new Client(application);
 * const response = await client.post("/polls/1/vote/", { choice: "2" }, { follow: true });
 * expect(response.redirectChain).toEqual([["/polls/1/results/", 302]]);
 * expect(response.templates).toContain("polls/results.html");
 */
export class Client {
  readonly cookies = new CookieJar();
  readonly app: ClientApp;
  readonly config: ClientOptions;
  /** The settings of a framework application (undefined for another TSGI app). */
  readonly settings: Settings | undefined;

  constructor(app: ClientApp, options: ClientOptions = {}) {
    this.app = app;
    this.config = options;
    this.settings = app.settings;
    connectTemplateReceiver();
  }

  get host(): string {
    return this.config.host ?? defaultHost(this.settings);
  }

  #settings(what: string): Settings {
    if (this.settings === undefined) throw new ImproperlyConfigured(`client.${what} needs a framework application (getTsgiApplication), which carries its settings.`);
    return this.settings;
  }

  /**
   * The session the client's cookie points at (Django's `client.session`); after changing
   * it, `await client.saveSession(session)` stores it and sets the cookie.
   *
   * @example
   * const session = await client.session();
   * await session.set("cart", [1, 2]);
   * await client.saveSession(session);
   */
  async session(): Promise<Session> {
    const settings = this.#settings("session()");
    const raw = this.cookies.get(settings.SESSION_COOKIE_NAME);
    const session = new Session(raw === undefined ? undefined : safeDecode(raw), {
      backend: sessionBackendFor(settings),
      cookieAge: settings.SESSION_COOKIE_AGE,
      expireAtBrowserClose: settings.SESSION_EXPIRE_AT_BROWSER_CLOSE,
    });
    await session.load();
    return session;
  }

  /** Saves a session from {@link session} and points the cookie at it. */
  async saveSession(session: Session): Promise<void> {
    const settings = this.#settings("saveSession()");
    this.cookies.set(settings.SESSION_COOKIE_NAME, await session.save());
  }

  /**
   * Logs `user` in without a password (Django's `force_login`): the session says so, as
   * after `login()`; the first (or named) authentication backend reloads the user.
   *
   * @example
   * await client.forceLogin(await createUser("alice", null, null));
   */
  async forceLogin(user: AuthUser, backend?: string): Promise<void> {
    const settings = this.#settings("forceLogin()");
    const session = await this.session();
    await session.set(SESSION_KEY, String(user.pk));
    await session.set(BACKEND_SESSION_KEY, backend ?? getBackends(settings)[0]?.name ?? "");
    await session.set(HASH_SESSION_KEY, sessionAuthHash(user, settings.SECRET_KEY));
    await this.saveSession(session);
  }

  /**
   * Logs in with credentials through the authentication backends (Django's `client.login`);
   * false when they are wrong or the user is inactive.
   *
   * @example
   * expect(await client.login({ username: "alice", password: "pw" })).toBe(true);
   */
  async login(credentials: Credentials): Promise<boolean> {
    const settings = this.#settings("login()");
    const user = await authenticate(new RequestFactory(settings).post("/", {}), credentials);
    if (user === null) return false;
    await this.forceLogin(user);
    return true;
  }

  /** Ends the session and forgets every cookie (Django's `client.logout`). */
  async logout(): Promise<void> {
    if (this.settings !== undefined) {
      const key = this.cookies.get(this.settings.SESSION_COOKIE_NAME);
      if (key !== undefined) await sessionBackendFor(this.settings).delete(safeDecode(key));
    }
    this.cookies.clear();
  }

  /** GET; `query` (or a query string in the path) for parameters. @example await client.get("/search/", { query: { q: "tsgi" } }) */
  get(path: string, options: RequestOptions = {}): Promise<ClientResponse> {
    return this.request("GET", path, undefined, options);
  }

  head(path: string, options: RequestOptions = {}): Promise<ClientResponse> {
    return this.request("HEAD", path, undefined, options);
  }

  options(path: string, options: RequestOptions = {}): Promise<ClientResponse> {
    return this.request("OPTIONS", path, undefined, options);
  }

  trace(path: string, options: RequestOptions = {}): Promise<ClientResponse> {
    return this.request("TRACE", path, undefined, options);
  }

  /** POST, multipart by default (files as `{ name, content, contentType }`). @example await client.post("/login/", { username, password }) */
  post(path: string, data?: unknown, options: BodyRequestOptions = {}): Promise<ClientResponse> {
    return this.request("POST", path, data ?? {}, { contentType: MULTIPART_CONTENT, ...options });
  }

  /** PUT; `data` sent as `contentType` (default urlencoded, as Django's "application/octet-stream" for strings). */
  put(path: string, data?: unknown, options: BodyRequestOptions = {}): Promise<ClientResponse> {
    return this.request("PUT", path, data, options);
  }

  patch(path: string, data?: unknown, options: BodyRequestOptions = {}): Promise<ClientResponse> {
    return this.request("PATCH", path, data, options);
  }

  delete(path: string, data?: unknown, options: BodyRequestOptions = {}): Promise<ClientResponse> {
    return this.request("DELETE", path, data, options);
  }

  /** Any method. A body-less `data` object on GET/HEAD becomes the query string. */
  async request(method: string, path: string, data: unknown, options: BodyRequestOptions = {}): Promise<ClientResponse> {
    const chain: RedirectHop[] = [];
    let response = await this.#send(method, path, data, options);
    if (!options.follow) return clientResponse(response.raw, response.rendered, { method, path: response.path }, chain);
    let current = { method, path: response.path, data, options };
    const seen = new Set<string>();
    while ([301, 302, 303, 307, 308].includes(response.raw.status)) {
      const location = response.raw.headers.get("location");
      if (location === undefined || location === null) break;
      const base = `${current.options.secure || this.config.secure ? "https" : "http"}://${this.host}${current.path}`;
      const target = new URL(location, base);
      // A redirect to another site ends here, as a browser would leave the app under test.
      if (target.host !== this.host) break;
      const nextPath = target.pathname + target.search;
      chain.push([nextPath, response.raw.status]);
      const keepsMethod = response.raw.status === 307 || response.raw.status === 308;
      const key = `${keepsMethod ? current.method : "GET"} ${nextPath}`;
      if (seen.has(key) || chain.length > MAX_REDIRECTS) {
        throw new RedirectCycleError(`Redirect loop detected following ${chain.map(([url, status]) => `${status} -> ${url}`).join(", ")}.`);
      }
      seen.add(key);
      current = keepsMethod
        ? { method: current.method, path: nextPath, data: current.data, options: { ...current.options, query: {}, secure: target.protocol === "https:" } }
        : { method: "GET", path: nextPath, data: undefined, options: { headers: current.options.headers ?? {}, secure: target.protocol === "https:" } };
      response = await this.#send(current.method, current.path, current.data, current.options);
    }
    return clientResponse(response.raw, response.rendered, { method: current.method, path: response.path }, chain);
  }

  async #send(method: string, path: string, data: unknown, options: BodyRequestOptions): Promise<{ raw: TestResponse; rendered: RenderedTemplate[]; path: string }> {
    let target = path;
    const upper = method.toUpperCase();
    const queryData: ClientData | undefined = upper === "GET" || upper === "HEAD" ? { ...(data as ClientData | undefined), ...options.query } : options.query;
    if (queryData !== undefined && Object.keys(queryData).length > 0) {
      target += (target.includes("?") ? "&" : "?") + encodeUrlencoded(queryData);
    }
    const headers: Record<string, string> = { host: this.host, ...this.config.headers, ...options.headers };
    const cookie = this.cookies.header(target.split("?")[0]);
    if (cookie !== undefined) headers.cookie = cookie;
    let body: string | Uint8Array | undefined;
    if (upper !== "GET" && upper !== "HEAD" && data !== undefined) {
      const encoded = encodeBody(data, options.contentType ?? "application/x-www-form-urlencoded");
      body = encoded.body;
      headers["content-type"] = encoded.contentType;
    } else if (options.contentType !== undefined && upper !== "GET" && upper !== "HEAD") {
      headers["content-type"] = options.contentType;
    }
    const secure = options.secure ?? this.config.secure ?? false;
    // The scheme and server name travel in an absolute-form target, as a proxy would send them: the
    // assembler derives tsgi.url_scheme, SERVER_NAME and SERVER_PORT from it (nothing written by hand).
    const absoluteTarget = `${secure ? "https" : "http"}://${this.host}${target}`;
    const environ: Record<string, unknown> = {
      ...(!this.config.enforceCsrfChecks && { [DONT_ENFORCE_CSRF_CHECKS]: true }),
      ...options.environ,
    };
    const rendered: RenderedTemplate[] = [];
    const errors: unknown[] = [];
    const raw = await capture.run({ rendered, errors }, () =>
      callApp(this.app, { method: upper, path: absoluteTarget, headers, ...(body !== undefined && { body }), environ }),
    );
    this.cookies.store(raw.headers.getAll("set-cookie"));
    const error = errors[0] ?? raw.error;
    if (error !== undefined && (this.config.raiseRequestException ?? true)) throw error;
    return { raw, rendered, path: target };
  }
}
