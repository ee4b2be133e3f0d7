import { createClient } from "redis";
import { CacheUnavailable } from "../cache/errors.js";
import { InMemoryChannelLayer, type ChannelLayer, type GroupMember, type GroupMessage } from "./layers.js";

type Client = ReturnType<typeof createClient>;

/** Options for {@link RedisChannelLayer}. */
export interface RedisChannelLayerOptions {
  /** `redis://host:6379/0` or `unix:///run/redis.sock`. */
  location: string;
  /** Put before every Redis channel name, so several sites can share one server ("tsgi.channels"). */
  prefix?: string;
  /** How long a PUBLISH may take before `groupSend` raises `CacheUnavailable` (1000 ms). */
  commandTimeoutMs?: number;
}

/**
 * Groups spanning workers and machines (channels_redis' pub/sub layer): members are kept per
 * process as the in-memory layer does, and each process subscribes to a Redis channel per group it
 * has members in; `groupSend` publishes there, so every process delivers to its own members. The
 * sender gets no acknowledgement from other processes (at-most-once, like channels_redis). While
 * Redis is down `groupSend` raises `CacheUnavailable` (bounded) and both clients reconnect by
 * themselves; subscriptions are restored on reconnection.
 *
 * @example
 * const layer = new RedisChannelLayer({ location: "redis://cache:6379/0" });
 * await layer.groupAdd("chat_lobby", consumer);
 * await layer.groupSend("chat_lobby", { type: "chat.message", text: "hi" }); // every worker's members
 */
export class RedisChannelLayer implements ChannelLayer {
  readonly #local = new InMemoryChannelLayer();
  readonly #publisher: Client;
  readonly #subscriber: Client;
  readonly #prefix: string;
  readonly #timeout: number;
  readonly #location: string;
  #connected: Promise<void> | undefined;

  constructor(options: RedisChannelLayerOptions) {
    this.#location = options.location;
    this.#prefix = options.prefix ?? "tsgi.channels";
    this.#timeout = options.commandTimeoutMs ?? 1000;
    const url = options.location.startsWith("unix://") ? undefined : options.location;
    const socket = {
      ...(url === undefined && { path: options.location.slice("unix://".length) }),
      connectTimeout: this.#timeout,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** Math.min(retries, 5), 1000),
    };
    this.#publisher = createClient({ ...(url !== undefined && { url }), socket, disableOfflineQueue: true });
    this.#subscriber = createClient({ ...(url !== undefined && { url }), socket });
    // Errors surface through the calls; without listeners they would crash the worker.
    this.#publisher.on("error", () => {});
    this.#subscriber.on("error", () => {});
  }

  async groupAdd(group: string, member: GroupMember): Promise<void> {
    const first = this.#local.size(group) === 0;
    await this.#local.groupAdd(group, member);
    if (first) {
      await this.#connect();
      await this.#bounded(this.#subscriber.subscribe(this.#channel(group), (raw) => this.#deliver(group, raw)), "SUBSCRIBE");
    }
  }

  async groupDiscard(group: string, member: GroupMember): Promise<void> {
    await this.#local.groupDiscard(group, member);
    if (this.#local.size(group) === 0 && this.#subscriber.isReady) {
      await this.#bounded(this.#subscriber.unsubscribe(this.#channel(group)), "UNSUBSCRIBE").catch(() => undefined);
    }
  }

  async groupSend(group: string, message: GroupMessage): Promise<void> {
    await this.#connect();
    if (!this.#publisher.isReady) throw new CacheUnavailable(`Redis at ${this.#location} is unreachable: group message to "${group}" not sent.`);
    await this.#bounded(this.#publisher.publish(this.#channel(group), JSON.stringify(message)), "PUBLISH");
  }

  /** Members of `group` in this process. */
  size(group: string): number {
    return this.#local.size(group);
  }

  /** Closes both connections (worker shutdown). */
  async close(): Promise<void> {
    if (this.#publisher.isOpen) this.#publisher.destroy();
    if (this.#subscriber.isOpen) this.#subscriber.destroy();
  }

  #channel(group: string): string {
    return `${this.#prefix}.group.${group}`;
  }

  #deliver(group: string, raw: string): void {
    let message: GroupMessage;
    try {
      message = JSON.parse(raw) as GroupMessage;
    } catch {
      return; // not one of ours
    }
    void this.#local.groupSend(group, message);
  }

  async #connect(): Promise<void> {
    this.#connected ??= Promise.all([this.#publisher.connect(), this.#subscriber.connect()]).then(
      () => undefined,
      () => undefined,
    );
    // The first connection gets the command's time budget; later ones happen in the background.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#connected, new Promise<void>((done) => (timer = setTimeout(done, this.#timeout)))]);
    clearTimeout(timer);
  }

  async #bounded<T>(operation: Promise<T>, command: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new CacheUnavailable(`Redis at ${this.#location} did not answer ${command} within ${this.#timeout} ms.`)), this.#timeout);
    });
    try {
      return await Promise.race([operation, expired]);
    } catch (error) {
      if (error instanceof CacheUnavailable) throw error;
      throw new CacheUnavailable(`Redis at ${this.#location} failed during ${command}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }
}
