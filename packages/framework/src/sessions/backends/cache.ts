import type { BaseCache } from "../../cache/backend.js";
import { caches } from "../../cache/caches.js";
import type { SaveContext, SessionBackend, SessionData } from "../backend.js";
import { newSessionKey } from "../session.js";

/** Django's cache session key prefix, so sessions do not clash with other cache keys. */
export const SESSION_CACHE_KEY_PREFIX = "tsgi.contrib.sessions.cache";
const VALID_KEY = /^[a-z0-9]{8,64}$/;

/** Options for {@link CacheSessionBackend}. */
export interface CacheSessionBackendOptions {
  /** The cache object, or the CACHES alias to use (SESSION_CACHE_ALIAS, "default"). */
  cache?: BaseCache | string;
}

/**
 * Sessions in the cache (Django's `sessions.backends.cache`): fast, shared by every instance
 * when the cache is Redis, but lost when the cache evicts or restarts. Each entry expires with
 * the session. While the cache server is down, loading and saving raise `CacheUnavailable`
 * (the request gets a 503 with Retry-After) rather than silently logging users out.
 *
 * @example
 * SESSION_ENGINE: "cache", CACHES: { default: { BACKEND: "redis", LOCATION: "redis://cache:6379/0" } }
 */
export class CacheSessionBackend implements SessionBackend {
  readonly #cache: BaseCache | string;

  constructor(options: CacheSessionBackendOptions = {}) {
    this.#cache = options.cache ?? "default";
  }

  /** The cache the sessions live in (resolved on use, so CACHES can be configured later). */
  get cache(): BaseCache {
    return typeof this.#cache === "string" ? caches.get(this.#cache) : this.#cache;
  }

  async load(sessionKey: string): Promise<SessionData | undefined> {
    if (!VALID_KEY.test(sessionKey)) return undefined;
    const data = await this.cache.get<unknown>(cacheKey(sessionKey));
    return typeof data === "object" && data !== null && !Array.isArray(data) ? (data as SessionData) : undefined;
  }

  async save(sessionKey: string | undefined, data: SessionData, context: SaveContext): Promise<string> {
    const seconds = Math.max(1, Math.ceil((context.expiresAt - Date.now()) / 1000));
    if (sessionKey !== undefined && VALID_KEY.test(sessionKey)) {
      await this.cache.set(cacheKey(sessionKey), data, seconds);
      return sessionKey;
    }
    // A new key: `add` so two requests can never take the same key (Django's must_create).
    for (let attempt = 0; attempt < 10; attempt++) {
      const key = newSessionKey();
      if (await this.cache.add(cacheKey(key), data, seconds)) return key;
    }
    throw new Error("Could not create a unique session key in the cache after 10 attempts: is the cache storing anything?");
  }

  async delete(sessionKey: string): Promise<void> {
    if (VALID_KEY.test(sessionKey)) await this.cache.delete(cacheKey(sessionKey));
  }
}

/**
 * The cache key of a session.
 *
 * @example
 * cacheKey("abc12345"); // "tsgi.contrib.sessions.cacheabc12345"
 */
export function cacheKey(sessionKey: string): string {
  return SESSION_CACHE_KEY_PREFIX + sessionKey;
}
