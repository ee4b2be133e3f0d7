import type { SaveContext, SessionBackend, SessionData } from "../backend.js";
import { cacheKey as cacheKeyOf, CacheSessionBackend, type CacheSessionBackendOptions } from "./cache.js";

/** Options for {@link CachedDbSessionBackend}. */
export interface CachedDbSessionBackendOptions extends CacheSessionBackendOptions {
  /** The persistent store: a `DatabaseSessionBackend` (SESSIONS_APP migrated). */
  db: SessionBackend;
}

/**
 * Django's `cached_db`: every write goes to the database, then the cache; reads come from the
 * cache and fall back to the database (refilling the cache). Sessions survive a cache restart
 * or eviction. A cache outage is tolerated on reads (the database answers); writes raise (a 503)
 * while either is down, since a write the cache missed would leave it serving stale data later.
 *
 * @example
 * SESSION_ENGINE: new CachedDbSessionBackend({ db: new DatabaseSessionBackend() })
 */
export class CachedDbSessionBackend implements SessionBackend {
  readonly #cache: CacheSessionBackend;
  readonly #db: SessionBackend;

  constructor(options: CachedDbSessionBackendOptions) {
    this.#cache = new CacheSessionBackend(options);
    this.#db = options.db;
  }

  async load(sessionKey: string, maxAge: number): Promise<SessionData | undefined> {
    const cached = await this.#cache.load(sessionKey).catch(() => undefined);
    if (cached !== undefined) return cached;
    const data = await this.#db.load(sessionKey, maxAge);
    // Refill the cache for the next request; its expiry is the session's default age.
    if (data !== undefined) await this.#cache.cache.set(cacheKeyOf(sessionKey), data, maxAge).catch(() => {});
    return data;
  }

  async save(sessionKey: string | undefined, data: SessionData, context: SaveContext): Promise<string> {
    const key = await this.#db.save(sessionKey, data, context);
    await this.#cache.save(key, data, context);
    return key;
  }

  async delete(sessionKey: string): Promise<void> {
    await this.#db.delete(sessionKey);
    await this.#cache.delete(sessionKey);
  }
}
