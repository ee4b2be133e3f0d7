import { ImproperlyConfigured } from "../exceptions.js";
import { currentContext } from "../handler/requestContext.js";
import type { BaseCache, CacheSettings } from "./backend.js";
import { DatabaseCache } from "./db.js";
import { FileBasedCache } from "./file.js";
import { DummyCache, LocMemCache } from "./locmem.js";
import { RedisCache } from "./redis.js";

declare module "../settings/types.js" {
  interface Settings {
    /** The caches by alias (Django's CACHES); without it, `default` is an in-process "locmem" cache. */
    CACHES?: Record<string, CacheSettings>;
  }
}

const DEFAULT_CACHES: Record<string, CacheSettings> = { default: { BACKEND: "locmem" } };

/**
 * The configured caches by alias (Django's `django.core.cache.caches`), each created on
 * first use from the running application's CACHES (or those given to `configure`).
 *
 * @example
 * await caches.get("default").set("k", 1);
 */
export class CacheHandler {
  #settings: Record<string, CacheSettings> | undefined;
  readonly #open = new Map<string, BaseCache>();

  /** Uses these CACHES from now on (tests, management commands); open caches are closed. */
  async configure(cachesSetting: Record<string, CacheSettings> | undefined): Promise<void> {
    await this.closeAll();
    this.#settings = cachesSetting;
  }

  /** The cache `alias`. */
  get(alias = "default"): BaseCache {
    let cache = this.#open.get(alias);
    if (cache === undefined) {
      cache = createCache(this.#resolve(alias), alias);
      this.#open.set(alias, cache);
    }
    return cache;
  }

  /** Closes every open cache (worker shutdown, end of a test file). */
  async closeAll(): Promise<void> {
    const all = [...this.#open.values()];
    this.#open.clear();
    await Promise.all(all.map((cache) => cache.close()));
  }

  #resolve(alias: string): CacheSettings {
    const all = this.#settings ?? currentContext()?.settings.CACHES ?? DEFAULT_CACHES;
    const found = all[alias];
    if (found === undefined) throw new ImproperlyConfigured(`The cache "${alias}" is not in CACHES (have: ${Object.keys(all).join(", ") || "none"}).`);
    return found;
  }
}

/**
 * A cache object for one CACHES entry.
 *
 * @example
 * const cache = createCache({ BACKEND: "redis", LOCATION: "redis://127.0.0.1:6379/1" });
 */
export function createCache(settings: CacheSettings, alias = "default"): BaseCache {
  const backend = settings.BACKEND ?? "locmem";
  if (backend === "locmem") return new LocMemCache(settings);
  if (backend === "redis") return new RedisCache(settings);
  if (backend === "file") return new FileBasedCache(settings);
  if (backend === "db") return new DatabaseCache(settings);
  if (backend === "dummy") return new DummyCache(settings);
  throw new ImproperlyConfigured(`CACHES["${alias}"].BACKEND: expected "locmem", "redis", "file", "db" or "dummy", got ${JSON.stringify(backend)}.`);
}

/** The process's caches. */
export const caches = new CacheHandler();
