import { rotateToken } from "../csrf/state.js";
import type { HttpRequest } from "../http/request.js";
import type { Settings } from "../settings/types.js";
import { constantTimeCompare, saltedHmac } from "../signing/hmac.js";
import { currentContext } from "../handler/requestContext.js";
import { ImproperlyConfigured } from "../exceptions.js";
import { getBackends, type AuthBackend, type Credentials } from "./backends.js";
import { setRequestUser, peekRequestUser } from "./requestUser.js";
import { userLoggedIn, userLoggedOut, userLoginFailed } from "./signals.js";
import { AnonymousUser, isAuthenticatedUser, type AuthUser, type RequestUser } from "./user.js";

/** Session keys, as Django names them, so sessions read the same. */
export const SESSION_KEY = "_auth_user_id";
export const BACKEND_SESSION_KEY = "_auth_user_backend";
export const HASH_SESSION_KEY = "_auth_user_hash";

const HASH_SALT = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash";
const backendOfUser = new WeakMap<AuthUser, string>();

function settingsOf(request: HttpRequest | undefined): Settings {
  const settings = request?.settings ?? currentContext()?.settings;
  if (settings === undefined) throw new ImproperlyConfigured("authenticate() without a request needs a running application (getTsgiApplication) to find the settings.");
  return settings;
}

/**
 * The HMAC of the user's password hash kept in the session (Django's
 * `get_session_auth_hash`): changing the password ends the user's other sessions.
 */
export function sessionAuthHash(user: AuthUser, secret: string): string {
  return saltedHmac(HASH_SALT, user.password, secret).toString("hex");
}

/**
 * Checks credentials against each backend in turn (Django's `authenticate`): the first user
 * found wins; null otherwise (then `userLoginFailed` is sent). Inactive users are refused by
 * the backend. With LOGIN_THROTTLE, a blocked username/address gets null without a check.
 *
 * @example
 * const user = await authenticate(request, { username, password });
 * if (user) await login(request, user);
 */
export async function authenticate(request: HttpRequest | undefined, credentials: Credentials): Promise<AuthUser | null> {
  const settings = settingsOf(request);
  const throttle = settings.LOGIN_THROTTLE ?? null;
  const key = `${String(credentials.username ?? "")}|${String(request?.META.REMOTE_ADDR ?? "")}`;
  if (throttle !== null && (await throttle.isBlocked(key))) {
    await userLoginFailed.send(undefined, { request, credentials: cleanse(credentials) });
    return null;
  }
  for (const backend of getBackends(settings)) {
    const user = await backend.authenticate(request, credentials);
    if (user !== null) {
      backendOfUser.set(user, backend.name);
      if (throttle !== null) await throttle.success(key);
      return user;
    }
  }
  if (throttle !== null) await throttle.failure(key);
  await userLoginFailed.send(undefined, { request, credentials: cleanse(credentials) });
  return null;
}

function cleanse(credentials: Credentials): Credentials {
  return Object.fromEntries(Object.entries(credentials).map(([k, v]) => [k, /pass|secret|token|key/i.test(k) ? "********************" : v]));
}

function backendFor(user: AuthUser, settings: Settings, backend: string | undefined): string {
  if (backend !== undefined) return backend;
  const known = backendOfUser.get(user);
  if (known !== undefined) return known;
  const backends = getBackends(settings);
  if (backends.length === 1) return (backends[0] as AuthBackend).name;
  throw new ImproperlyConfigured("You have multiple authentication backends configured and therefore must pass the backend name to login(request, user, backend).");
}

/**
 * Logs the user in (Django's `login`): a new session key (the old one, which an attacker may
 * have planted, is useless), the user's id and password hash in the session, a new CSRF
 * token, `request.user` set, `userLoggedIn` sent (which updates `lastLogin`).
 *
 * @example
 * await login(request, user);
 * return new HttpResponseRedirect("/");
 */
export async function login(request: HttpRequest, user: AuthUser, backend?: string): Promise<void> {
  const settings = request.settings;
  const session = request.session;
  const hash = sessionAuthHash(user, settings.SECRET_KEY);
  const current = await session.get<string>(SESSION_KEY);
  if (current !== undefined) {
    const storedHash = (await session.get<string>(HASH_SESSION_KEY)) ?? "";
    // Another user's session (or one whose password changed): start from nothing.
    if (current !== String(user.pk) || !constantTimeCompare(storedHash, hash)) await session.flush();
    else await session.cycleKey();
  } else {
    await session.cycleKey();
  }
  await session.set(SESSION_KEY, String(user.pk));
  await session.set(BACKEND_SESSION_KEY, backendFor(user, settings, backend));
  await session.set(HASH_SESSION_KEY, hash);
  setRequestUser(request, user);
  rotateToken(request);
  await userLoggedIn.send(user.constructor, { request, user });
}

/**
 * Logs the user out (Django's `logout`): `userLoggedOut`, then the session is emptied and
 * deleted, and `request.user` becomes an AnonymousUser.
 *
 * @example
 * await logout(request);
 */
export async function logout(request: HttpRequest): Promise<void> {
  const user = peekRequestUser(request);
  await userLoggedOut.send(user?.constructor, { request, user: isAuthenticatedUser(user) ? user : null });
  await request.session.flush();
  setRequestUser(request, new AnonymousUser());
}

/**
 * The user the session belongs to, or an AnonymousUser (Django's `get_user`): the stored
 * backend reloads the user, and a password changed since login (hash mismatch) ends the session.
 *
 * @example
 * const user = await getUser(request);
 */
export async function getUser(request: HttpRequest): Promise<RequestUser> {
  const session = request.session;
  const id = await session.get<string>(SESSION_KEY);
  const backendName = await session.get<string>(BACKEND_SESSION_KEY);
  if (id === undefined || backendName === undefined) return new AnonymousUser();
  const backend = getBackends(request.settings).find((candidate) => candidate.name === backendName);
  if (backend === undefined) return new AnonymousUser();
  const user = await backend.getUser(String(id));
  if (user === null) return new AnonymousUser();
  const stored = (await session.get<string>(HASH_SESSION_KEY)) ?? "";
  const secrets = [request.settings.SECRET_KEY, ...request.settings.SECRET_KEY_FALLBACKS];
  const verified = secrets.some((secret) => constantTimeCompare(stored, sessionAuthHash(user, secret)));
  if (!verified) {
    await session.flush();
    return new AnonymousUser();
  }
  if (backend.userCanAuthenticate !== undefined ? !backend.userCanAuthenticate(user) : !user.isActive) return new AnonymousUser();
  backendOfUser.set(user, backend.name);
  // Hashes made with a fallback key are re-made with the current one.
  if (!constantTimeCompare(stored, sessionAuthHash(user, request.settings.SECRET_KEY))) await session.set(HASH_SESSION_KEY, sessionAuthHash(user, request.settings.SECRET_KEY));
  return user;
}

/**
 * After a password change, keeps the current session logged in (Django's
 * `update_session_auth_hash`) while every other session of the user ends.
 *
 * @example
 * await user.setPassword(newPassword); await user.save();
 * await updateSessionAuthHash(request, user);
 */
export async function updateSessionAuthHash(request: HttpRequest, user: AuthUser): Promise<void> {
  await request.session.cycleKey();
  const current = peekRequestUser(request);
  if (isAuthenticatedUser(current) && String(current.pk) === String(user.pk)) {
    await request.session.set(HASH_SESSION_KEY, sessionAuthHash(user, request.settings.SECRET_KEY));
  }
}
