import { BaseCache, CacheKeyMissing, type CacheSettings } from "./backend.js";

interface Entry {
  value: string;
  /** ms since the epoch, or null for never. */
  expiresAt: number | null;
}

/** One store per LOCATION, shared by every cache object naming it in this process (as Django's). */
const stores = new Map<string, Map<string, Entry>>();

/**
 * The in-process cache (Django's `LocMemCache`): per worker process, so each worker of
 * a pre-fork server and each instance has its own. For anything shared, use "redis".
 * Least recently used entries are dropped beyond `OPTIONS.MAX_ENTRIES` (300).
 *
 * @example
 * const cache = new LocMemCache({ LOCATION: "unique-snowflake" });
 */
export class LocMemCache extends BaseCache {
  readonly #store: Map<string, Entry>;
  readonly #maxEntries: number;

  constructor(settings: CacheSettings = {}) {
    super(settings);
    const location = settings.LOCATION ?? "";
    let store = stores.get(location);
    if (store === undefined) stores.set(location, (store = new Map()));
    this.#store = store;
    const max = settings.OPTIONS?.MAX_ENTRIES;
    this.#maxEntries = typeof max === "number" && max > 0 ? max : 300;
  }

  protected async rawGet(fullKey: string): Promise<string | undefined> {
    const entry = this.#live(fullKey);
    if (entry === undefined) return undefined;
    // Re-insert: Map order is the LRU order.
    this.#store.delete(fullKey);
    this.#store.set(fullKey, entry);
    return entry.value;
  }

  protected async rawSet(fullKey: string, value: string, seconds: number | null, onlyIfMissing: boolean): Promise<boolean> {
    if (onlyIfMissing && this.#live(fullKey) !== undefined) return false;
    this.#store.delete(fullKey);
    this.#store.set(fullKey, { value, expiresAt: seconds === null ? null : Date.now() + seconds * 1000 });
    while (this.#store.size > this.#maxEntries) this.#store.delete(this.#store.keys().next().value as string);
    return true;
  }

  protected async rawDelete(fullKeys: string[]): Promise<number> {
    let removed = 0;
    for (const key of fullKeys) if (this.#live(key) !== undefined && this.#store.delete(key)) removed++;
    return removed;
  }

  protected async rawTouch(fullKey: string, seconds: number | null): Promise<boolean> {
    const entry = this.#live(fullKey);
    if (entry === undefined) return false;
    entry.expiresAt = seconds === null ? null : Date.now() + seconds * 1000;
    return true;
  }

  protected async rawIncr(fullKey: string, delta: number): Promise<number> {
    const entry = this.#live(fullKey);
    if (entry === undefined) throw new CacheKeyMissing(fullKey);
    const current: unknown = JSON.parse(entry.value);
    if (typeof current !== "number" || !Number.isInteger(current)) throw new TypeError(`incr(): the value at "${fullKey}" is not an integer.`);
    entry.value = JSON.stringify(current + delta);
    return current + delta;
  }

  async clear(): Promise<void> {
    this.#store.clear();
  }

  #live(fullKey: string): Entry | undefined {
    const entry = this.#store.get(fullKey);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) {
      this.#store.delete(fullKey);
      return undefined;
    }
    return entry;
  }
}

/**
 * A cache that stores nothing (Django's `DummyCache`): for development, where caching would hide changes.
 *
 * @example
 * const cache = new DummyCache({});
 */
export class DummyCache extends BaseCache {
  protected async rawGet(): Promise<string | undefined> {
    return undefined;
  }
  protected async rawSet(): Promise<boolean> {
    return true;
  }
  protected async rawDelete(): Promise<number> {
    return 0;
  }
  protected async rawTouch(): Promise<boolean> {
    return false;
  }
  protected async rawIncr(fullKey: string): Promise<number> {
    throw new CacheKeyMissing(fullKey);
  }
  async clear(): Promise<void> {}
}
