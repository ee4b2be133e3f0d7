import { randomInt } from "node:crypto";
import type { SessionBackend, SessionData } from "./backend.js";

/** The data key holding a custom expiry (Django's `_session_expiry`): seconds, an ISO date, or 0 for "at browser close". */
const EXPIRY_KEY = "_session_expiry";
const KEY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

/**
 * A new random session key: 32 characters, as Django's `get_random_string(32, ...)`.
 *
 * @example
 * newSessionKey(); // "q3k0...": 32 of a-z0-9
 */
export function newSessionKey(): string {
  let key = "";
  for (let i = 0; i < 32; i++) key += KEY_CHARS[randomInt(KEY_CHARS.length)];
  return key;
}

/** Settings a {@link Session} reads. */
export interface SessionOptions {
  backend: SessionBackend;
  /** Default lifetime in seconds (SESSION_COOKIE_AGE). */
  cookieAge: number;
  /** SESSION_EXPIRE_AT_BROWSER_CLOSE. */
  expireAtBrowserClose: boolean;
}

/**
 * `request.session` (Django's SessionBase): loaded from the backend on first use, so a
 * request that never touches it never reads the store; `modified` tracks writes so the
 * middleware saves only when needed. Data methods are async because loading may hit disk.
 *
 * @example
 * const visits = ((await request.session.get<number>("visits")) ?? 0) + 1;
 * await request.session.set("visits", visits);
 */
export class Session {
  /** Set when the data changed, so the middleware saves it and re-sends the cookie. */
  modified = false;
  /** Set when the data was read or written, so the middleware adds `Vary: Cookie`. */
  accessed = false;
  #key: string | undefined;
  #data: SessionData | undefined;
  readonly #options: SessionOptions;

  constructor(sessionKey: string | undefined, options: SessionOptions) {
    // Django refuses keys shorter than 8 characters outright.
    this.#key = sessionKey !== undefined && sessionKey.length >= 8 ? sessionKey : undefined;
    this.#options = options;
  }

  /** The key the cookie holds, or undefined before the first save. */
  get sessionKey(): string | undefined {
    return this.#key;
  }

  /** Loads the data (once) and returns it; reading it marks the session accessed. */
  load(): Promise<SessionData> {
    this.accessed = true;
    return this.peek();
  }

  /**
   * The data without marking the session accessed: for code that reads it only to decide
   * whether to show something (the messages storage), marking it when it does.
   */
  peek(): Promise<SessionData> {
    // Loaded already, or nothing to load (no key): no trip through the backend's promise.
    if (this.#data !== undefined) return Promise.resolve(this.#data);
    if (this.#key === undefined) return Promise.resolve((this.#data = {}));
    return this.#loadFromBackend(this.#key);
  }

  async #loadFromBackend(key: string): Promise<SessionData> {
    const loaded = await this.#options.backend.load(key, this.#options.cookieAge);
    // An unknown, expired or tampered key becomes a fresh session (Django's "session fixation" defence).
    if (loaded === undefined) this.#key = undefined;
    this.#data ??= loaded ?? {};
    return this.#data;
  }

  async get<T = unknown>(key: string): Promise<T | undefined>;
  async get<T>(key: string, fallback: T): Promise<T>;
  async get<T>(key: string, fallback?: T): Promise<T | undefined> {
    const data = await this.load();
    return key in data ? (data[key] as T) : fallback;
  }

  async has(key: string): Promise<boolean> {
    return key in (await this.load());
  }

  /** Stores a JSON-serialisable value. */
  async set(key: string, value: unknown): Promise<void> {
    if (value === undefined) throw new TypeError(`session.set("${key}", undefined): use session.delete("${key}") to remove a key.`);
    const data = await this.load();
    data[key] = value;
    this.modified = true;
  }

  /** Removes a key; true when it was there. */
  async delete(key: string): Promise<boolean> {
    const data = await this.load();
    if (!(key in data)) return false;
    delete data[key];
    this.modified = true;
    return true;
  }

  /** Removes a key and returns its value. */
  async pop<T = unknown>(key: string): Promise<T | undefined> {
    const data = await this.load();
    const value = data[key] as T | undefined;
    if (key in data) {
      delete data[key];
      this.modified = true;
    }
    return value;
  }

  async keys(): Promise<string[]> {
    return Object.keys(await this.load());
  }

  async entries(): Promise<Array<[string, unknown]>> {
    return Object.entries(await this.load());
  }

  /** Empties the data but keeps the key (Django's `clear()`). */
  async clear(): Promise<void> {
    await this.load();
    this.#data = {};
    this.modified = true;
  }

  /** True when there is neither a key nor data, so no cookie is needed. */
  isEmpty(): boolean {
    if (this.#key !== undefined) return false;
    return this.#data === undefined || Object.keys(this.#data).length === 0;
  }

  /**
   * Deletes the session from the store and empties it, with a new key on the next save
   * (Django's `flush()`: use at logout).
   */
  async flush(): Promise<void> {
    this.#data = {};
    this.accessed = true;
    this.modified = true;
    if (this.#key !== undefined) await this.#options.backend.delete(this.#key);
    this.#key = undefined;
  }

  /**
   * Keeps the data under a new key and deletes the old one (Django's `cycle_key()`):
   * call it at login so a key an attacker planted before login is useless after it.
   */
  async cycleKey(): Promise<void> {
    const data = await this.load();
    const oldKey = this.#key;
    this.#key = undefined;
    this.#data = data;
    this.modified = true;
    await this.save();
    if (oldKey !== undefined && oldKey !== this.#key) await this.#options.backend.delete(oldKey);
  }

  /**
   * Sets when the session expires: seconds from now, a Date, 0 for "when the browser
   * closes", or null for the SESSION_COOKIE_AGE default.
   */
  async setExpiry(value: number | Date | null): Promise<void> {
    const data = await this.load();
    if (value === null) delete data[EXPIRY_KEY];
    else data[EXPIRY_KEY] = value instanceof Date ? value.toISOString() : value;
    this.modified = true;
  }

  /** Seconds until the session expires. */
  getExpiryAge(now = Date.now()): number {
    const expiry = this.#data?.[EXPIRY_KEY];
    if (typeof expiry === "string") return Math.floor((Date.parse(expiry) - now) / 1000);
    if (typeof expiry === "number" && expiry > 0) return expiry;
    return this.#options.cookieAge;
  }

  /** When the session expires. */
  getExpiryDate(now = Date.now()): Date {
    return new Date(now + this.getExpiryAge(now) * 1000);
  }

  /** True when the cookie should last only until the browser closes. */
  getExpireAtBrowserClose(): boolean {
    const expiry = this.#data?.[EXPIRY_KEY];
    if (expiry === undefined || expiry === null) return this.#options.expireAtBrowserClose;
    return expiry === 0;
  }

  /** Writes the data to the backend (the middleware calls this); returns the key. */
  async save(): Promise<string> {
    const data = await this.load();
    const now = Date.now();
    // Fail here, naming the key, rather than storing something JSON cannot bring back.
    JSON.stringify(data, (key, value: unknown) => {
      if (typeof value === "function" || typeof value === "symbol" || typeof value === "bigint") {
        throw new TypeError(`Session value for "${key}" is not JSON-serialisable (${typeof value}); store plain data.`);
      }
      return value;
    });
    const maxAge = this.getExpiryAge(now);
    this.#key = await this.#options.backend.save(this.#key, data, { expiresAt: now + maxAge * 1000, maxAge });
    return this.#key;
  }
}
