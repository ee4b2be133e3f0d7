/**
 * The cache API every backend offers (Django's `BaseCache`), and the key, version and
 * timeout rules they share. Values must be JSON; a backend stores what `JSON.stringify` makes.
 */

/** `timeout` argument: undefined = the backend's TIMEOUT, null = never expires, <= 0 = expire at once. */
export type CacheTimeout = number | null | undefined;

/** One entry of CACHES (Django's). */
export interface CacheSettings {
  /** "locmem" (default), "redis", "file", "db" or "dummy". */
  BACKEND?: "locmem" | "redis" | "file" | "db" | "dummy";
  /** Redis: a URL (`redis://host:6379/0`, `unix:///run/redis.sock`); locmem: a name separating stores; file: the folder; db: the table. */
  LOCATION?: string;
  /** Default timeout in seconds (300); null = never expire. */
  TIMEOUT?: number | null;
  /** Put before every key, so several sites can share one server. */
  KEY_PREFIX?: string;
  /** Default version of keys (1). */
  VERSION?: number;
  /** Backend options: locmem and file `MAX_ENTRIES` (300), file and db `CULL_FREQUENCY` (3), db `DATABASE` ("default"); redis `COMMAND_TIMEOUT_MS` (1000), `CONNECT_TIMEOUT_MS` (1000). */
  OPTIONS?: Record<string, unknown>;
}

/**
 * Django's default KEY_FUNCTION: `prefix:version:key`.
 *
 * @example
 * makeKey("user:1", "site", 2); // "site:2:user:1"
 */
export function makeKey(key: string, prefix: string, version: number): string {
  return `${prefix}:${version}:${key}`;
}

/**
 * Shared behaviour of the backends: each implements the raw operations on full keys
 * (already prefixed and versioned); this class maps Django's API onto them.
 *
 * @example
 * class MyCache extends BaseCache { ... }
 */
export abstract class BaseCache {
  readonly defaultTimeout: number | null;
  readonly keyPrefix: string;
  readonly version: number;

  constructor(settings: CacheSettings) {
    this.defaultTimeout = settings.TIMEOUT === undefined ? 300 : settings.TIMEOUT;
    this.keyPrefix = settings.KEY_PREFIX ?? "";
    this.version = settings.VERSION ?? 1;
  }

  /** The full key for `key` at `version` (default: VERSION). */
  makeKey(key: string, version?: number): string {
    return makeKey(key, this.keyPrefix, version ?? this.version);
  }

  /** Seconds until expiry for `timeout`: null = never; 0 or less = already expired. */
  protected expirySeconds(timeout: CacheTimeout): number | null {
    return timeout === undefined ? this.defaultTimeout : timeout;
  }

  protected abstract rawGet(fullKey: string): Promise<string | undefined>;
  protected abstract rawSet(fullKey: string, value: string, seconds: number | null, onlyIfMissing: boolean): Promise<boolean>;
  protected abstract rawDelete(fullKeys: string[]): Promise<number>;
  protected abstract rawTouch(fullKey: string, seconds: number | null): Promise<boolean>;
  protected abstract rawIncr(fullKey: string, delta: number): Promise<number>;
  /** Removes every key of this cache (its KEY_PREFIX). */
  abstract clear(): Promise<void>;
  /** Frees connections (Django calls it at the end of each request; ours are pooled, so at shutdown). */
  async close(): Promise<void> {}

  /** The value of `key`, or `fallback` when missing or expired. */
  async get<T = unknown>(key: string, fallback?: T, version?: number): Promise<T | undefined> {
    const raw = await this.rawGet(this.makeKey(key, version));
    return raw === undefined ? fallback : (JSON.parse(raw) as T);
  }

  /** Stores `value` for `timeout` seconds. */
  async set(key: string, value: unknown, timeout?: CacheTimeout, version?: number): Promise<void> {
    const seconds = this.expirySeconds(timeout);
    const full = this.makeKey(key, version);
    if (seconds !== null && seconds <= 0) {
      await this.rawDelete([full]);
      return;
    }
    await this.rawSet(full, encode(value), seconds, false);
  }

  /** Stores `value` only when `key` is missing; true when it was stored. */
  async add(key: string, value: unknown, timeout?: CacheTimeout, version?: number): Promise<boolean> {
    const seconds = this.expirySeconds(timeout);
    if (seconds !== null && seconds <= 0) return false;
    return this.rawSet(this.makeKey(key, version), encode(value), seconds, true);
  }

  /** The cached value, else stores (and returns) `fallback` (called when a function). */
  async getOrSet<T>(key: string, fallback: T | (() => T | Promise<T>), timeout?: CacheTimeout, version?: number): Promise<T> {
    const found = await this.get<T>(key, undefined, version);
    if (found !== undefined) return found;
    const value = typeof fallback === "function" ? await (fallback as () => T | Promise<T>)() : fallback;
    if (value === undefined) return value;
    await this.add(key, value, timeout, version);
    // Another worker may have won the race: everyone returns what is stored.
    return (await this.get<T>(key, undefined, version)) ?? value;
  }

  /** True when `key` is cached. */
  async has(key: string, version?: number): Promise<boolean> {
    return (await this.rawGet(this.makeKey(key, version))) !== undefined;
  }

  /** Forgets `key`; true when it existed. */
  async delete(key: string, version?: number): Promise<boolean> {
    return (await this.rawDelete([this.makeKey(key, version)])) > 0;
  }

  /** Sets a new timeout on `key`; false when it is missing. */
  async touch(key: string, timeout?: CacheTimeout, version?: number): Promise<boolean> {
    const seconds = this.expirySeconds(timeout);
    const full = this.makeKey(key, version);
    if (seconds !== null && seconds <= 0) return (await this.rawDelete([full])) > 0;
    return this.rawTouch(full, seconds);
  }

  /** The values found, by key (missing keys are absent). */
  async getMany(keys: readonly string[], version?: number): Promise<Record<string, unknown>> {
    const found: Record<string, unknown> = {};
    for (const key of keys) {
      const raw = await this.rawGet(this.makeKey(key, version));
      if (raw !== undefined) found[key] = JSON.parse(raw);
    }
    return found;
  }

  /** Stores every entry; returns the keys that could not be stored (none for these backends). */
  async setMany(entries: Readonly<Record<string, unknown>>, timeout?: CacheTimeout, version?: number): Promise<string[]> {
    for (const [key, value] of Object.entries(entries)) await this.set(key, value, timeout, version);
    return [];
  }

  /** Forgets every key given. */
  async deleteMany(keys: readonly string[], version?: number): Promise<void> {
    if (keys.length > 0) await this.rawDelete(keys.map((key) => this.makeKey(key, version)));
  }

  /**
   * Adds `delta` to the integer at `key` and returns the new value; a missing key raises
   * {@link CacheKeyMissing} (Django's ValueError), a non-integer value a TypeError.
   */
  async incr(key: string, delta = 1, version?: number): Promise<number> {
    return this.rawIncr(this.makeKey(key, version), delta);
  }

  /** `incr(key, -delta)`. */
  async decr(key: string, delta = 1, version?: number): Promise<number> {
    return this.incr(key, -delta, version);
  }

  /** Moves `key` to version + delta and returns the new version (Django's `incr_version`). */
  async incrVersion(key: string, delta = 1, version?: number): Promise<number> {
    const current = version ?? this.version;
    const raw = await this.rawGet(this.makeKey(key, current));
    if (raw === undefined) throw new CacheKeyMissing(key);
    await this.rawSet(this.makeKey(key, current + delta), raw, this.defaultTimeout, false);
    await this.rawDelete([this.makeKey(key, current)]);
    return current + delta;
  }

  /** `incrVersion(key, -delta)`. */
  async decrVersion(key: string, delta = 1, version?: number): Promise<number> {
    return this.incrVersion(key, -delta, version);
  }
}

/** `incr`/`decr`/`incrVersion` on a key that is not cached (Django raises ValueError). */
export class CacheKeyMissing extends Error {
  constructor(readonly key: string) {
    super(`Key "${key}" not found in the cache: set it before incr()/decr()/incrVersion().`);
    this.name = "CacheKeyMissing";
  }
}

function encode(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`Cache values must be JSON; got ${typeof value}.`);
  return text;
}
