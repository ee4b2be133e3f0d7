import type { HttpRequest } from "../http/request.js";
import { Signal } from "../signals/signal.js";
import type { Credentials } from "./backends.js";
import type { AuthUser } from "./user.js";

/** Sent after `login()` (Django's `user_logged_in`); the User model updates `lastLogin` on it. */
export const userLoggedIn = new Signal<{ request: HttpRequest; user: AuthUser }>("userLoggedIn");
/** Sent by `logout()` before the session is flushed. */
export const userLoggedOut = new Signal<{ request: HttpRequest; user: AuthUser | null }>("userLoggedOut");
/** Sent when `authenticate()` finds no user; the password is masked in `credentials`. */
export const userLoginFailed = new Signal<{ request: HttpRequest | undefined; credentials: Credentials }>("userLoginFailed");
