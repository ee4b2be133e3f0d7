import { HttpHeaders } from "../http/headers.js";
import type { HttpRequest } from "../http/request.js";
import type { HttpResponseBase } from "../http/response.js";
import { patchVaryHeaders } from "../middleware/conditional.js";
import { acceptsSyncLayer, type Middleware, type SyncLayerFactory } from "../middleware/types.js";
import type { Settings } from "../settings/types.js";
import type { View } from "../views/types.js";
import { isCsrfExempt } from "./exempt.js";
import { csrfFailure, REASON_CSRF_TOKEN_MISSING, REASON_NO_CSRF_COOKIE } from "./failure.js";
import { checkReferer, originVerified, REASON_BAD_ORIGIN, RejectRequest, trustedOrigins, type TrustedOrigins } from "./origin.js";
import { csrfState } from "./state.js";
import { checkTokenFormat, CSRF_TOKEN_LENGTH, doesTokenMatch, InvalidTokenFormat, newCsrfSecret, unmaskCsrfToken } from "./token.js";

/** The session key of the secret when CSRF_USE_SESSIONS is on (Django's `CSRF_SESSION_KEY`). */
export const CSRF_SESSION_KEY = "_csrftoken";
/** The form field the token is read from. */
export const CSRF_FORM_FIELD = "csrfmiddlewaretoken";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);

/**
 * Environ key the test client sets (Django's `request._dont_enforce_csrf_checks`): tests post
 * forms without tokens unless the client is built with `enforceCsrfChecks`. Servers never
 * put such a key in the environ (client headers become `HTTP_*` keys), so no request can set it.
 */
export const DONT_ENFORCE_CSRF_CHECKS = "framework.dont_enforce_csrf_checks";

/**
 * Django's `CsrfViewMiddleware`: refuses unsafe requests (POST, PUT, PATCH, DELETE) that
 * do not prove they come from this site's pages. In order: an `Origin` header must be this
 * site or in CSRF_TRUSTED_ORIGINS; HTTPS requests without Origin need a same-site https
 * `Referer`; then the `csrfmiddlewaretoken` form field or the `X-CSRFToken` header
 * (CSRF_HEADER_NAME) must carry the secret in the `csrftoken` cookie (CSRF_COOKIE_NAME,
 * or the session with CSRF_USE_SESSIONS). Refusals go to CSRF_FAILURE_VIEW (a 403 saying why).
 * Views wrapped in `csrfExempt()` are skipped.
 *
 * @example
 * defineSettings({ MIDDLEWARE: [SessionMiddleware, CsrfViewMiddleware], ... });
 */
export const CsrfViewMiddleware: SyncLayerFactory = (getResponse, settings) => {
  const checker = new CsrfChecker(settings);
  // With the secret in a cookie (the default) nothing here waits on I/O: loading and
  // committing the secret run synchronously, the same steps in the same order, and the
  // chain stays synchronous when the layers below answered so.
  const middleware: Middleware = (request) => {
    if (request.settings.CSRF_USE_SESSIONS) return inSession(request);
    loadSecretFromCookie(request);
    const response = getResponse(request);
    if (response instanceof Promise) return response.then((value) => commitCsrfSecret(request, value));
    return commitCsrfSecret(request, response);
  };
  const inSession = async (request: HttpRequest): Promise<HttpResponseBase> => {
    await checker.loadSecret(request);
    const response = await getResponse(request);
    await commitCsrfCookie(request, response);
    return response;
  };
  // Safe methods and exempt views are never checked: answered without a promise.
  middleware.processView = (request, view) => (checker.skips(request, view) ? undefined : checker.processView(request, view));
  return middleware;
};
// Given the next layer as is (a response or a promise): see acceptsSyncLayer.
acceptsSyncLayer(CsrfViewMiddleware);

/** {@link CsrfChecker.loadSecret} for CSRF_USE_SESSIONS off: the secret comes from the cookie, synchronously. */
function loadSecretFromCookie(request: HttpRequest): void {
  const state = csrfState(request);
  if (state.secret !== undefined) return;
  try {
    const secret = readSecretFromCookie(request);
    if (secret !== undefined) state.secret = secret;
  } catch (error) {
    if (!(error instanceof InvalidTokenFormat)) throw error;
    state.secret = newCsrfSecret();
    state.needsUpdate = true;
  }
}

/** The checks of {@link CsrfViewMiddleware}, shared with the `csrfProtect` view decorator. */
export class CsrfChecker {
  readonly #trusted: TrustedOrigins;
  readonly #settings: Settings;

  constructor(settings: Settings) {
    this.#settings = settings;
    this.#trusted = trustedOrigins(settings);
  }

  /** Reads the secret from the cookie or session; a malformed one is replaced (Django's process_request). */
  async loadSecret(request: HttpRequest): Promise<void> {
    const state = csrfState(request);
    if (state.secret !== undefined) return;
    try {
      const secret = await readSecret(request);
      if (secret !== undefined) state.secret = secret;
    } catch (error) {
      if (!(error instanceof InvalidTokenFormat)) throw error;
      state.secret = newCsrfSecret();
      state.needsUpdate = true;
    }
  }

  /** True when the request is not checked at all: already checked, an exempt view, a safe method, or checks turned off by the test client. */
  skips(request: HttpRequest, view: View): boolean {
    const state = csrfState(request);
    if (state.processingDone || isCsrfExempt(view) || SAFE_METHODS.has(request.method)) return true;
    return request.META[DONT_ENFORCE_CSRF_CHECKS] === true;
  }

  /** Returns the failure response, or undefined to let the view run. */
  async processView(request: HttpRequest, view: View): Promise<HttpResponseBase | undefined> {
    if (this.skips(request, view)) return undefined;
    const state = csrfState(request);
    try {
      if (request.META.HTTP_ORIGIN !== undefined) {
        if (!originVerified(request, this.#trusted)) throw new RejectRequest(REASON_BAD_ORIGIN(String(request.META.HTTP_ORIGIN)));
      } else if (request.isSecure()) {
        checkReferer(request, this.#trusted);
      }
      await this.#checkToken(request);
    } catch (error) {
      if (error instanceof RejectRequest) return this.#reject(request, error.reason);
      throw error;
    }
    state.processingDone = true;
    return undefined;
  }

  async #checkToken(request: HttpRequest): Promise<void> {
    let secret: string | undefined;
    try {
      secret = await readSecret(request);
    } catch (error) {
      if (error instanceof InvalidTokenFormat) throw new RejectRequest(`CSRF cookie ${error.reason}.`);
      throw error;
    }
    if (secret === undefined) throw new RejectRequest(REASON_NO_CSRF_COOKIE);

    let token = "";
    let source = "POST";
    if (request.method === "POST") token = (await request.POST()).get(CSRF_FORM_FIELD) ?? "";
    if (token === "") {
      const header = request.META[this.#settings.CSRF_HEADER_NAME];
      if (typeof header !== "string") throw new RejectRequest(REASON_CSRF_TOKEN_MISSING);
      token = header;
      // Django names the header as a client would write it: "the 'X-Csrftoken' HTTP header".
      source = `the '${HttpHeaders.nameFromEnvironKey(this.#settings.CSRF_HEADER_NAME) ?? this.#settings.CSRF_HEADER_NAME}' HTTP header`;
    }
    try {
      checkTokenFormat(token);
    } catch (error) {
      if (error instanceof InvalidTokenFormat) throw new RejectRequest(`CSRF token from ${source} ${error.reason}.`);
      throw error;
    }
    if (!doesTokenMatch(token, secret)) throw new RejectRequest(`CSRF token from ${source} incorrect.`);
  }

  async #reject(request: HttpRequest, reason: string): Promise<HttpResponseBase> {
    request.META["tsgi.errors"].write(`Forbidden (${reason}): ${request.path}\n`);
    const view = this.#settings.CSRF_FAILURE_VIEW;
    return view ? await view(request, { reason }) : csrfFailure(request, { reason });
  }
}

/** The secret the client holds: from the session (CSRF_USE_SESSIONS) or the cookie, unmasked; throws InvalidTokenFormat. */
async function readSecret(request: HttpRequest): Promise<string | undefined> {
  const settings = request.settings;
  if (settings.CSRF_USE_SESSIONS) {
    const session = sessionOf(request);
    const value = await session.get<unknown>(CSRF_SESSION_KEY);
    return typeof value === "string" ? value : undefined;
  }
  return readSecretFromCookie(request);
}

/** The secret in the CSRF cookie, unmasked; throws InvalidTokenFormat. */
function readSecretFromCookie(request: HttpRequest): string | undefined {
  const cookie = request.COOKIES[request.settings.CSRF_COOKIE_NAME];
  if (cookie === undefined) return undefined;
  checkTokenFormat(cookie);
  // Cookies set by older versions hold a masked token: accept and unmask (the next response re-sets it).
  return cookie.length === CSRF_TOKEN_LENGTH ? unmaskCsrfToken(cookie) : cookie;
}

function sessionOf(request: HttpRequest): NonNullable<HttpRequest["session"]> {
  const session = (request as { session?: HttpRequest["session"] }).session;
  if (session === undefined) {
    throw new Error("CSRF_USE_SESSIONS is on but request.session is missing: list SessionMiddleware before CsrfViewMiddleware in MIDDLEWARE.");
  }
  return session;
}

/**
 * Sends the CSRF secret if this request needs it (new, rotated, or used by `getToken`):
 * a cookie with the CSRF_COOKIE_* settings and `Vary: Cookie`, or the session key.
 * The middleware calls it; so does `ensureCsrfCookie` for sites without the middleware.
 *
 * @example
 * getToken(request);
 * await commitCsrfCookie(request, response); // Set-Cookie: csrftoken=...
 */
export async function commitCsrfCookie(request: HttpRequest, response: HttpResponseBase): Promise<void> {
  const state = csrfState(request);
  if (!state.needsUpdate || state.secret === undefined) return;
  if (request.settings.CSRF_USE_SESSIONS) {
    const session = sessionOf(request);
    if ((await session.get(CSRF_SESSION_KEY)) !== state.secret) await session.set(CSRF_SESSION_KEY, state.secret);
    state.needsUpdate = false;
  } else {
    commitCsrfSecret(request, response);
  }
}

/** {@link commitCsrfCookie} for CSRF_USE_SESSIONS off: sets the cookie (and `Vary: Cookie`) when needed, synchronously. */
function commitCsrfSecret(request: HttpRequest, response: HttpResponseBase): HttpResponseBase {
  const state = csrfState(request);
  if (!state.needsUpdate || state.secret === undefined) return response;
  const settings = request.settings;
  response.setCookie(settings.CSRF_COOKIE_NAME, state.secret, {
    maxAge: settings.CSRF_COOKIE_AGE,
    path: settings.CSRF_COOKIE_PATH,
    ...(settings.CSRF_COOKIE_DOMAIN !== null && { domain: settings.CSRF_COOKIE_DOMAIN }),
    secure: settings.CSRF_COOKIE_SECURE,
    httpOnly: settings.CSRF_COOKIE_HTTPONLY,
    ...(settings.CSRF_COOKIE_SAMESITE !== false && { sameSite: settings.CSRF_COOKIE_SAMESITE }),
  });
  patchVaryHeaders(response, ["Cookie"]);
  state.needsUpdate = false;
  return response;
}
