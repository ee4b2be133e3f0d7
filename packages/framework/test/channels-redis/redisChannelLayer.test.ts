import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CacheUnavailable, RedisChannelLayer, type GroupMember, type GroupMessage } from "../../src/index.js";
import { redisUnavailable, startRedis, type RedisServer } from "../helpers/redis.js";

const skip = redisUnavailable();
let redis: RedisServer;
const layers: RedisChannelLayer[] = [];
beforeAll(async () => {
  if (skip === undefined) redis = await startRedis();
}, 30_000);
afterAll(async () => {
  await Promise.all(layers.map((layer) => layer.close()));
  await redis?.stop({ remove: true });
});

/** A member that records what it receives and lets a test wait for the next message. */
class Recorder implements GroupMember {
  readonly received: GroupMessage[] = [];
  #waiters: Array<() => void> = [];
  async groupMessage(message: GroupMessage): Promise<void> {
    this.received.push(message);
    for (const wake of this.#waiters.splice(0)) wake();
  }
  async next(count: number): Promise<void> {
    while (this.received.length < count) await new Promise<void>((wake) => this.#waiters.push(wake));
  }
}

/** One layer per "worker process": its own two Redis connections. */
function worker(): RedisChannelLayer {
  const layer = new RedisChannelLayer({ location: redis.socketUrl, prefix: "test", commandTimeoutMs: 500 });
  layers.push(layer);
  return layer;
}

describe.skipIf(skip !== undefined)("RedisChannelLayer: groups spanning workers", () => {
  it("a message sent by one worker reaches the group's members in every worker, not others", async () => {
    const [a, b] = [worker(), worker()];
    const [inA, inB, elsewhere] = [new Recorder(), new Recorder(), new Recorder()];
    await a.groupAdd("chat_lobby", inA);
    await b.groupAdd("chat_lobby", inB);
    await b.groupAdd("chat_other", elsewhere);
    await a.groupSend("chat_lobby", { type: "chat.message", text: "hi" });
    await Promise.all([inA.next(1), inB.next(1)]);
    expect(inB.received).toEqual([{ type: "chat.message", text: "hi" }]);
    expect(inA.received).toEqual([{ type: "chat.message", text: "hi" }]);

    await b.groupDiscard("chat_lobby", inB);
    await b.groupSend("chat_lobby", { type: "chat.message", text: "second" });
    await b.groupSend("chat_other", { type: "chat.message", text: "marker" });
    await Promise.all([inA.next(2), elsewhere.next(1)]);
    expect(inB.received).toHaveLength(1);
    expect(elsewhere.received).toEqual([{ type: "chat.message", text: "marker" }]);
  });

  it("while Redis is down groupSend raises CacheUnavailable; after it returns, subscriptions work again by themselves", async () => {
    const [a, b] = [worker(), worker()];
    const member = new Recorder();
    await b.groupAdd("room", member);
    await a.groupSend("room", { type: "x", n: 1 });
    await member.next(1);
    await redis.stop();
    try {
      await expect(a.groupSend("room", { type: "x", n: 2 })).rejects.toBeInstanceOf(CacheUnavailable);
    } finally {
      await redis.start();
    }
    // Resend until the re-subscribed worker gets one (reconnection happens in the background).
    for (let i = 0; i < 100 && member.received.length < 2; i++) {
      await a.groupSend("room", { type: "x", n: 3 }).catch(() => undefined);
      await Promise.race([member.next(2), new Promise((done) => setTimeout(done, 100))]);
    }
    expect(member.received.at(-1)).toEqual({ type: "x", n: 3 });
  });
});
