import { ImproperlyConfigured } from "../exceptions.js";
import { HttpRequest } from "../http/request.js";
import { httpDateAt } from "../http/cookies.js";
import { patchVaryHeaders } from "../middleware/conditional.js";
import type { HttpResponseBase } from "../http/response/base.js";
import { acceptsSyncLayer, type SyncLayerFactory } from "../middleware/types.js";
import { sessionBackendFor } from "./engine.js";
import { Session, type SessionOptions } from "./session.js";

/** What SessionMiddleware gives a request to make its session from: one object for all requests. */
export interface SessionSource {
  readonly cookieName: string;
  readonly options: SessionOptions;
}

declare module "../http/request.js" {
  interface HttpRequest {
    /** The visitor's session, made on first read from the source SessionMiddleware set. */
    readonly session: Session;
    /** Set by SessionMiddleware: where `request.session` comes from. */
    sessionSource?: SessionSource;
    /** The session once something read `request.session` (undefined before). */
    sessionIfMade?: Session;
  }
}

// The session is made on first read, so requests that never use it do not allocate one.
// Without the middleware, `request.session` explains what is missing instead of being undefined.
if (!Object.getOwnPropertyDescriptor(HttpRequest.prototype, "session")) {
  Object.defineProperty(HttpRequest.prototype, "session", {
    configurable: true,
    get(this: HttpRequest): Session {
      const made = this.sessionIfMade;
      if (made !== undefined) return made;
      const source = this.sessionSource;
      if (source === undefined) {
        throw new ImproperlyConfigured("request.session needs SessionMiddleware: add it to MIDDLEWARE (before any middleware that uses the session).");
      }
      return (this.sessionIfMade = new Session(this.COOKIES[source.cookieName], source.options));
    },
  });
}

/**
 * Django's `SessionMiddleware`: gives each request a lazy `request.session` keyed by the
 * session cookie, and after the view saves it when it was modified (or on every request
 * with SESSION_SAVE_EVERY_REQUEST) and re-sends the cookie with SESSION_COOKIE_AGE (or no
 * expiry with SESSION_EXPIRE_AT_BROWSER_CLOSE) and the SESSION_COOKIE_* flags. An emptied
 * session deletes the cookie. Sessions read or written add `Vary: Cookie`. Not saved on 5xx.
 *
 * @example
 * defineSettings({ MIDDLEWARE: [SessionMiddleware, CsrfViewMiddleware], SESSION_ENGINE: "signed_cookies", ... });
 */
export const SessionMiddleware: SyncLayerFactory = (getResponse, settings) => {
  const backend = sessionBackendFor(settings);
  const cookieName = settings.SESSION_COOKIE_NAME;
  // One source object for every request's Session (it only reads it).
  const source: SessionSource = {
    cookieName,
    options: { backend, cookieAge: settings.SESSION_COOKIE_AGE, expireAtBrowserClose: settings.SESSION_EXPIRE_AT_BROWSER_CLOSE },
  };
  const domain = settings.SESSION_COOKIE_DOMAIN ?? undefined;
  const sameSite = settings.SESSION_COOKIE_SAMESITE === false ? undefined : settings.SESSION_COOKIE_SAMESITE;

  const setCookie = (response: HttpResponseBase, session: Session, key: string): HttpResponseBase => {
    const atBrowserClose = session.getExpireAtBrowserClose();
    const maxAge = session.getExpiryAge();
    response.setCookie(cookieName, key, {
      ...(!atBrowserClose && { maxAge, expires: httpDateAt(Date.now() + maxAge * 1000) }),
      path: settings.SESSION_COOKIE_PATH,
      ...(domain && { domain }),
      secure: settings.SESSION_COOKIE_SECURE,
      httpOnly: settings.SESSION_COOKIE_HTTPONLY,
      ...(sameSite && { sameSite }),
    });
    return response;
  };

  // Synchronous unless the session must be saved (the backend may wait on I/O).
  const after = (request: HttpRequest, response: HttpResponseBase): HttpResponseBase | Promise<HttpResponseBase> => {
    let session = request.sessionIfMade;
    if (session === undefined) {
      // Never read, so neither accessed nor modified: only an incoming cookie (which an empty
      // session deletes) or SESSION_SAVE_EVERY_REQUEST can still do something; both need the session.
      if (!settings.SESSION_SAVE_EVERY_REQUEST && !(cookieName in request.COOKIES)) return response;
      session = request.session;
    }
    if (cookieName in request.COOKIES && session.isEmpty()) {
      // The session was emptied (flush at logout): tell the browser to drop the cookie.
      response.deleteCookie(cookieName, { path: settings.SESSION_COOKIE_PATH, ...(domain && { domain }), ...(sameSite && { sameSite }) });
      patchVaryHeaders(response, ["Cookie"]);
      return response;
    }
    if (session.accessed) patchVaryHeaders(response, ["Cookie"]);
    if ((session.modified || settings.SESSION_SAVE_EVERY_REQUEST) && !session.isEmpty() && response.statusCode < 500) {
      const saving = session;
      return saving.save().then((key) => setCookie(response, saving, key));
    }
    return response;
  };

  return (request) => {
    request.sessionSource = source;
    request.sessionIfMade = undefined;
    const response = getResponse(request);
    return response instanceof Promise ? response.then((value) => after(request, value)) : after(request, response);
  };
};
// Given the next layer as is (a response or a promise): see acceptsSyncLayer.
acceptsSyncLayer(SessionMiddleware);
