import { ImproperlyConfigured } from "../exceptions.js";
import { HttpRequest } from "../http/request.js";
import { httpDateAt } from "../http/cookies.js";
import { patchVaryHeaders } from "../middleware/conditional.js";
import type { HttpResponseBase } from "../http/response/base.js";
import { acceptsSyncLayer, type SyncLayerFactory } from "../middleware/types.js";
import { sessionBackendFor } from "./engine.js";
import { Session } from "./session.js";

declare module "../http/request.js" {
  interface HttpRequest {
    /** The visitor's session; set by SessionMiddleware. */
    readonly session: Session;
  }
}

// Without the middleware, `request.session` explains what is missing instead of being undefined.
if (!Object.getOwnPropertyDescriptor(HttpRequest.prototype, "session")) {
  Object.defineProperty(HttpRequest.prototype, "session", {
    configurable: true,
    get(): never {
      throw new ImproperlyConfigured("request.session needs SessionMiddleware: add it to MIDDLEWARE (before any middleware that uses the session).");
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
  // One options object for every request's Session (it only reads them).
  const options = { backend, cookieAge: settings.SESSION_COOKIE_AGE, expireAtBrowserClose: settings.SESSION_EXPIRE_AT_BROWSER_CLOSE };
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
  const after = (request: HttpRequest, session: Session, response: HttpResponseBase): HttpResponseBase | Promise<HttpResponseBase> => {
    if (cookieName in request.COOKIES && session.isEmpty()) {
      // The session was emptied (flush at logout): tell the browser to drop the cookie.
      response.deleteCookie(cookieName, { path: settings.SESSION_COOKIE_PATH, ...(domain && { domain }), ...(sameSite && { sameSite }) });
      patchVaryHeaders(response, ["Cookie"]);
      return response;
    }
    if (session.accessed) patchVaryHeaders(response, ["Cookie"]);
    if ((session.modified || settings.SESSION_SAVE_EVERY_REQUEST) && !session.isEmpty() && response.statusCode < 500) {
      return session.save().then((key) => setCookie(response, session, key));
    }
    return response;
  };

  return (request) => {
    const session = new Session(request.COOKIES[cookieName], options);
    Object.defineProperty(request, "session", { value: session, configurable: true, enumerable: true });
    const response = getResponse(request);
    return response instanceof Promise ? response.then((value) => after(request, session, value)) : after(request, session, response);
  };
};
// Given the next layer as is (a response or a promise): see acceptsSyncLayer.
acceptsSyncLayer(SessionMiddleware);
