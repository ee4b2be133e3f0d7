import type { HttpRequest } from "../http/request.js";
import { ImproperlyConfigured } from "../exceptions.js";
import type { Settings } from "../settings/types.js";
import type { AuthUser } from "./user.js";

/** Credentials handed to `authenticate` (usually `{ username, password }`). */
export type Credentials = Readonly<Record<string, unknown>>;

/**
 * A source of users (Django's authentication backends): checks credentials and loads
 * the logged-in user from the id kept in the session. `name` is stored in the session
 * so the same backend reloads the user.
 */
export interface AuthBackend {
  readonly name: string;
  /** The user for these credentials, or null (wrong password, unknown user, inactive user). */
  authenticate(request: HttpRequest | undefined, credentials: Credentials): Promise<AuthUser | null>;
  /** The user with this primary key, or null. */
  getUser(id: string): Promise<AuthUser | null>;
  /** Every permission (`app.codename`) the user has. */
  getAllPermissions?(user: { readonly pk: number | string }): Promise<ReadonlySet<string>>;
  /** Whether the user may log in (active users by default). */
  userCanAuthenticate?(user: AuthUser): boolean;
}

/**
 * Limits login attempts (the "login throttle hook"; Django leaves it to packages such
 * as django-axes): `authenticate` asks `isBlocked` before checking a password and reports the
 * outcome, keyed by the username and the client address.
 */
export interface LoginThrottle {
  isBlocked(key: string): Promise<boolean> | boolean;
  failure(key: string): Promise<void> | void;
  success(key: string): Promise<void> | void;
}

declare module "../settings/types.js" {
  interface Settings {
    /** Backends tried in order by `authenticate` (Django's AUTHENTICATION_BACKENDS); default: the User model's. */
    AUTHENTICATION_BACKENDS?: readonly AuthBackend[];
    /** Where `loginRequired` sends anonymous visitors (default "/accounts/login/"). */
    LOGIN_URL?: string;
    /** Where LoginView goes without a `next` (default "/accounts/profile/"). */
    LOGIN_REDIRECT_URL?: string;
    /** Where LogoutView goes (default: render the logged-out page). */
    LOGOUT_REDIRECT_URL?: string | null;
    /** Seconds a password reset link stays valid (default 3 days). */
    PASSWORD_RESET_TIMEOUT?: number;
    /** A login throttle (default none). */
    LOGIN_THROTTLE?: LoginThrottle | null;
  }
}

let defaultBackends: (() => readonly AuthBackend[]) | undefined;

/** Installs the backends used when AUTHENTICATION_BACKENDS is not set (contrib/auth registers its ModelBackend). */
export function setDefaultAuthBackends(provider: () => readonly AuthBackend[]): void {
  defaultBackends = provider;
}

/** The site's backends; throws naming the fix when there are none. */
export function getBackends(settings: Settings): readonly AuthBackend[] {
  const backends = settings.AUTHENTICATION_BACKENDS ?? defaultBackends?.() ?? [];
  if (backends.length === 0) {
    throw new ImproperlyConfigured("No authentication backends: import { User } from \"@tsgi/framework\" (the User model's ModelBackend) or set AUTHENTICATION_BACKENDS.");
  }
  return backends;
}

/**
 * Counts failures in memory per key and blocks after `maxAttempts` within `windowSeconds`
 * (per process: use a shared store with several workers).
 *
 * @example
 * defineSettings({ LOGIN_THROTTLE: new MemoryLoginThrottle({ maxAttempts: 5, windowSeconds: 900 }), ... })
 */
export class MemoryLoginThrottle implements LoginThrottle {
  readonly #failures = new Map<string, number[]>();
  readonly maxAttempts: number;
  readonly windowSeconds: number;

  constructor(options: { maxAttempts?: number; windowSeconds?: number } = {}) {
    this.maxAttempts = options.maxAttempts ?? 5;
    this.windowSeconds = options.windowSeconds ?? 900;
  }

  #recent(key: string, now = Date.now()): number[] {
    const since = now - this.windowSeconds * 1000;
    const list = (this.#failures.get(key) ?? []).filter((at) => at > since);
    if (list.length === 0) this.#failures.delete(key);
    else this.#failures.set(key, list);
    return list;
  }

  isBlocked(key: string): boolean {
    return this.#recent(key).length >= this.maxAttempts;
  }

  failure(key: string): void {
    this.#failures.set(key, [...this.#recent(key), Date.now()]);
  }

  success(key: string): void {
    this.#failures.delete(key);
  }
}
