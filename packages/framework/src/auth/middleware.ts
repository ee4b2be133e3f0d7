import type { MiddlewareFactory } from "../middleware/types.js";
import { getUser } from "./login.js";
import { setRequestUser, setUserLoader } from "./requestUser.js";
import { AnonymousUser } from "./user.js";

/**
 * Django's `AuthenticationMiddleware`: gives each request `request.user` (an
 * `AnonymousUser` when no one is logged in) and `await request.auser()`. A request without
 * a session cookie never touches the session store or the database. With one, the user is
 * loaded before the view runs, because Node has no synchronous database access and views,
 * templates and decorators read `request.user` synchronously. Needs SessionMiddleware before it.
 *
 * @example
 * MIDDLEWARE: [SessionMiddleware, CsrfViewMiddleware, AuthenticationMiddleware, MessageMiddleware]
 */
export const AuthenticationMiddleware: MiddlewareFactory = (getResponse, settings) => {
  const cookieName = settings.SESSION_COOKIE_NAME;
  return async (request) => {
    // Reading request.session throws the "needs SessionMiddleware" explanation when it is missing.
    void request.session;
    if (request.COOKIES[cookieName] === undefined) {
      setRequestUser(request, new AnonymousUser());
    } else {
      setUserLoader(request, () => getUser(request));
      setRequestUser(request, await request.auser());
    }
    return getResponse(request);
  };
};
