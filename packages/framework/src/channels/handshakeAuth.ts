import type { Environ } from "tsgi";
import { AuthenticationMiddleware } from "../auth/middleware.js";
import { getUser } from "../auth/login.js";
import { AnonymousUser, type RequestUser } from "../auth/user.js";
import { HttpRequest } from "../http/request.js";
import type { SessionBackend } from "../sessions/backend.js";
import { sessionBackendFor } from "../sessions/engine.js";
import { Session } from "../sessions/session.js";
import type { Settings } from "../settings/types.js";

/** What a handshake's cookies say about the visitor (Channels' `scope["session"]`, `scope["user"]`). */
export interface HandshakeAuth {
  readonly session: Session;
  readonly user: RequestUser;
}

/**
 * Loads the session and user of WebSocket handshakes the way SessionMiddleware and
 * AuthenticationMiddleware do for HTTP requests (Channels' `AuthMiddlewareStack`): the session
 * from the session cookie through SESSION_ENGINE, the user from that session when MIDDLEWARE has
 * AuthenticationMiddleware. A handshake has no response to carry a new cookie, so a consumer
 * reads the session; what it writes is saved only by an explicit `await scope.session.save()`.
 *
 * @example
 * const auth = handshakeAuthLoader(settings);
 * const { session, user } = await auth(environ);
 */
export function handshakeAuthLoader(settings: Settings): (environ: Environ) => Promise<HandshakeAuth> {
  const backend: SessionBackend = sessionBackendFor(settings);
  const withUsers = settings.MIDDLEWARE.includes(AuthenticationMiddleware);
  const cookieName = settings.SESSION_COOKIE_NAME;
  return async (environ) => {
    const request = new HttpRequest(environ, settings);
    const session = new Session(request.COOKIES[cookieName], {
      backend,
      cookieAge: settings.SESSION_COOKIE_AGE,
      expireAtBrowserClose: settings.SESSION_EXPIRE_AT_BROWSER_CLOSE,
    });
    // getUser reads request.session, as it does behind SessionMiddleware.
    Object.defineProperty(request, "session", { value: session, configurable: true, enumerable: true });
    // No cookie: no store or database access, as AuthenticationMiddleware.
    const user = withUsers && request.COOKIES[cookieName] !== undefined ? await getUser(request) : new AnonymousUser();
    return { session, user };
  };
}
