import { createClient } from "redis";
import { BaseCache, CacheKeyMissing, type CacheSettings } from "./backend.js";
import { CacheUnavailable } from "./errors.js";
import { errorMessage } from "tsgi/helpers";

type Client = ReturnType<typeof createClient>;

/** The longest wait between reconnection attempts while the server is away. */
const MAX_RECONNECT_DELAY_MS = 1000;

/**
 * The Redis cache (Django's `RedisCache`) through the `redis` client, shared by every
 * worker and instance. Values are stored as JSON, so integers are plain numbers Redis
 * can `INCRBY` atomically. Every command is bounded: while the server is down or slower
 * than `OPTIONS.COMMAND_TIMEOUT_MS` (1000) a command raises {@link CacheUnavailable} (a
 * 503 for a request) instead of queueing, and the client keeps reconnecting in the
 * background, so the cache works again by itself when the server returns.
 *
 * @example
 * const cache = new RedisCache({ LOCATION: "redis://127.0.0.1:6379/0", KEY_PREFIX: "site" });
 * await cache.set("greeting", "hi", 60);
 */
export class RedisCache extends BaseCache {
  readonly location: string;
  readonly #client: Client;
  readonly #commandTimeout: number;
  #connecting: Promise<unknown> | undefined;
  #closed = false;

  constructor(settings: CacheSettings) {
    super(settings);
    this.location = settings.LOCATION ?? "redis://127.0.0.1:6379/0";
    const options = settings.OPTIONS ?? {};
    this.#commandTimeout = positive(options.COMMAND_TIMEOUT_MS, 1000);
    const connectTimeout = positive(options.CONNECT_TIMEOUT_MS, 1000);
    const url = this.location.startsWith("unix://") ? undefined : this.location;
    this.#client = createClient({
      ...(url !== undefined && { url }),
      socket: {
        ...(url === undefined && { path: this.location.slice("unix://".length) }),
        connectTimeout,
        reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 5), MAX_RECONNECT_DELAY_MS),
      },
      // Commands issued while disconnected fail at once (a 503) rather than waiting for a reconnection.
      disableOfflineQueue: true,
    });
    // Without a listener the client's errors would crash the worker; the commands report them instead.
    this.#client.on("error", () => {});
  }

  protected async rawGet(fullKey: string): Promise<string | undefined> {
    const value = await this.#run("GET", (c) => c.get(fullKey));
    return value ?? undefined;
  }

  protected async rawSet(fullKey: string, value: string, seconds: number | null, onlyIfMissing: boolean): Promise<boolean> {
    const expiry = seconds === null ? {} : { expiration: { type: "PX" as const, value: Math.max(1, Math.round(seconds * 1000)) } };
    const reply = await this.#run("SET", (c) => c.set(fullKey, value, { ...expiry, ...(onlyIfMissing && { condition: "NX" as const }) }));
    return reply === "OK";
  }

  protected async rawDelete(fullKeys: string[]): Promise<number> {
    return this.#run("DEL", (c) => c.del(fullKeys));
  }

  protected async rawTouch(fullKey: string, seconds: number | null): Promise<boolean> {
    const reply = await this.#run("EXPIRE", (c) => (seconds === null ? c.persist(fullKey) : c.pExpire(fullKey, Math.max(1, Math.round(seconds * 1000)))));
    // PERSIST answers 0 for a key without expiry too: check it exists.
    return reply === 1 || (seconds === null && (await this.#run("EXISTS", (c) => c.exists(fullKey))) === 1);
  }

  protected async rawIncr(fullKey: string, delta: number): Promise<number> {
    // Django's RedisCache: a missing key is an error, not a new counter at 0.
    if ((await this.#run("EXISTS", (c) => c.exists(fullKey))) === 0) throw new CacheKeyMissing(fullKey);
    try {
      return await this.#run("INCRBY", (c) => c.incrBy(fullKey, delta));
    } catch (error) {
      if (error instanceof CacheUnavailable) throw error;
      throw new TypeError(`incr(): the value at "${fullKey}" is not an integer.`, { cause: error });
    }
  }

  /** One round trip for all keys (MGET). */
  override async getMany(keys: readonly string[], version?: number): Promise<Record<string, unknown>> {
    if (keys.length === 0) return {};
    const values = await this.#run("MGET", (c) => c.mGet(keys.map((key) => this.makeKey(key, version))));
    const found: Record<string, unknown> = {};
    keys.forEach((key, i) => {
      const raw = values[i];
      if (raw !== null && raw !== undefined) found[key] = JSON.parse(raw);
    });
    return found;
  }

  /** One transaction for all keys (MULTI with a SET per key and its expiry). */
  override async setMany(entries: Readonly<Record<string, unknown>>, timeout?: number | null, version?: number): Promise<string[]> {
    const seconds = this.expirySeconds(timeout);
    const pairs = Object.entries(entries);
    if (pairs.length === 0) return [];
    if (seconds !== null && seconds <= 0) {
      await this.deleteMany(pairs.map(([key]) => key), version);
      return [];
    }
    await this.#run("MULTI", (c) => {
      const multi = c.multi();
      for (const [key, value] of pairs) {
        const text = JSON.stringify(value);
        if (seconds === null) multi.set(this.makeKey(key, version), text);
        else multi.set(this.makeKey(key, version), text, { expiration: { type: "PX", value: Math.max(1, Math.round(seconds * 1000)) } });
      }
      return multi.exec();
    });
    return [];
  }

  /** Deletes this cache's keys (`KEY_PREFIX:*`, by SCAN), not the whole database: others may share it. */
  async clear(): Promise<void> {
    const pattern = `${this.keyPrefix.replace(/[*?[\]\\]/g, "\\$&")}:*`;
    await this.#run("SCAN", async (c) => {
      for await (const keys of c.scanIterator({ MATCH: pattern, COUNT: 500 })) if (keys.length > 0) await c.del(keys);
    }, this.#commandTimeout * 30);
  }

  override async close(): Promise<void> {
    this.#closed = true;
    if (this.#client.isOpen) this.#client.destroy();
  }

  /** Is the server answering? (readiness checks) */
  async ping(): Promise<boolean> {
    try {
      return (await this.#run("PING", (c) => c.ping())) === "PONG";
    } catch {
      return false;
    }
  }

  async #run<T>(command: string, fn: (client: Client) => Promise<T>, timeout = this.#commandTimeout): Promise<T> {
    if (this.#closed) throw new CacheUnavailable(`The Redis cache at ${this.location} was closed.`);
    if (!this.#client.isOpen && this.#connecting === undefined) {
      // First use: connect in the background; the client reconnects by itself after that.
      this.#connecting = this.#client.connect().catch(() => {});
    }
    if (!this.#client.isReady) {
      // Give a first connection (or a reconnection in progress) the command's time budget.
      await waitFor(() => this.#client.isReady, Math.min(timeout, 1000));
      if (!this.#client.isReady) throw new CacheUnavailable(`Redis at ${this.location} is unreachable (${command}); retrying in the background. Check that redis-server is running and LOCATION is right.`);
    }
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CacheUnavailable(`Redis at ${this.location} did not answer ${command} within ${timeout} ms.`)), timeout);
    });
    try {
      return await Promise.race([fn(this.#client), expired]);
    } catch (error) {
      if (error instanceof CacheUnavailable || isReplyError(error)) throw error;
      throw new CacheUnavailable(`Redis at ${this.location} failed during ${command}: ${errorMessage(error)}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Redis answered with an error reply (wrong type...): a bug to report, not an outage. */
function isReplyError(error: unknown): boolean {
  return error instanceof Error && (error.constructor.name === "ErrorReply" || error.name === "ErrorReply" || /^(WRONGTYPE|ERR) /.test(error.message));
}

function positive(value: unknown, fallback: number): number {
  return typeof value === "number" && value > 0 ? value : fallback;
}

async function waitFor(condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}
