import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CacheKeyMissing, FileBasedCache, LocMemCache, RedisCache, createCache, type BaseCache } from "../../src/index.js";
import { redisUnavailable, startRedis, type RedisServer } from "../helpers/redis.js";

let redis: RedisServer | undefined;
const fileRoot = mkdtempSync(join(tmpdir(), "cache-api-"));
const opened: BaseCache[] = [];
beforeAll(async () => {
  if (redisUnavailable() === undefined) redis = await startRedis();
}, 30_000);
afterAll(async () => {
  await Promise.all(opened.map((cache) => cache.close()));
  await redis?.stop({ remove: true });
  rmSync(fileRoot, { recursive: true, force: true });
});

let serial = 0;
const backends: Array<[string, (options?: { KEY_PREFIX?: string; VERSION?: number; TIMEOUT?: number | null }) => BaseCache]> = [
  ["locmem", (options = {}) => new LocMemCache({ LOCATION: `api-${options.KEY_PREFIX ?? ++serial}`, ...options })],
  ["file", (options = {}) => new FileBasedCache({ LOCATION: join(fileRoot, `api-${options.KEY_PREFIX ?? ++serial}`), ...options })],
  [
    "redis",
    (options = {}) => {
      if (redis === undefined) throw new Error(redisUnavailable());
      const cache = new RedisCache({ LOCATION: redis.url, KEY_PREFIX: `api${++serial}`, ...options });
      opened.push(cache);
      return cache;
    },
  ],
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(backends)("%s cache (Django's cache API)", (name, make) => {
  it.skipIf(name === "redis" && redisUnavailable() !== undefined)("get/set/add/delete/has with JSON values and a fallback", async () => {
    const cache = make();
    expect(await cache.get("missing")).toBeUndefined();
    expect(await cache.get("missing", "fallback")).toBe("fallback");
    await cache.set("obj", { a: [1, "two", null], b: true });
    expect(await cache.get("obj")).toEqual({ a: [1, "two", null], b: true });
    expect(await cache.add("obj", "other")).toBe(false);
    expect(await cache.add("fresh", 0)).toBe(true);
    expect(await cache.get("fresh")).toBe(0);
    expect(await cache.has("fresh")).toBe(true);
    expect(await cache.delete("fresh")).toBe(true);
    expect(await cache.delete("fresh")).toBe(false);
    expect(await cache.has("fresh")).toBe(false);
    await expect(cache.set("bad", () => 1)).rejects.toThrow(/JSON/);
  });

  it.skipIf(name === "redis" && redisUnavailable() !== undefined)("timeouts: seconds, 0 = not stored, null = forever, default TIMEOUT, touch", async () => {
    const cache = make({ TIMEOUT: 0.3 });
    await cache.set("short", 1, 0.2);
    await cache.set("default", 1);
    await cache.set("forever", 1, null);
    await cache.set("zero", 1, 0);
    expect(await cache.get("zero")).toBeUndefined();
    await cache.set("touched", 1, 0.2);
    expect(await cache.touch("touched", 10)).toBe(true);
    expect(await cache.touch("nothing", 10)).toBe(false);
    // Wait on the entries themselves: poll until the short ones are gone (bounded).
    for (let i = 0; i < 100 && ((await cache.has("short")) || (await cache.has("default"))); i++) await sleep(50);
    expect(await cache.has("short")).toBe(false);
    expect(await cache.has("default")).toBe(false);
    expect(await cache.get("forever")).toBe(1);
    expect(await cache.get("touched")).toBe(1);
  });

  it.skipIf(name === "redis" && redisUnavailable() !== undefined)("incr/decr on integers; a missing key raises CacheKeyMissing, a string TypeError", async () => {
    const cache = make();
    await cache.set("n", 10);
    expect(await cache.incr("n")).toBe(11);
    expect(await cache.incr("n", 5)).toBe(16);
    expect(await cache.decr("n", 20)).toBe(-4);
    expect(await cache.get("n")).toBe(-4);
    await expect(cache.incr("absent")).rejects.toBeInstanceOf(CacheKeyMissing);
    await cache.set("s", "text");
    await expect(cache.incr("s")).rejects.toBeInstanceOf(TypeError);
  });

  it.skipIf(name === "redis" && redisUnavailable() !== undefined)("getMany/setMany/deleteMany, getOrSet", async () => {
    const cache = make();
    expect(await cache.setMany({ a: 1, b: { x: 2 }, c: "3" })).toEqual([]);
    expect(await cache.getMany(["a", "b", "c", "zz"])).toEqual({ a: 1, b: { x: 2 }, c: "3" });
    await cache.deleteMany(["a", "b"]);
    expect(await cache.getMany(["a", "b", "c"])).toEqual({ c: "3" });
    expect(await cache.getOrSet("computed", () => 42)).toBe(42);
    expect(await cache.getOrSet("computed", () => 43)).toBe(42);
  });

  it.skipIf(name === "redis" && redisUnavailable() !== undefined)("key prefix and version separate entries; incrVersion moves a key; clear() only this prefix", async () => {
    const a = make({ KEY_PREFIX: `site-a-${name}` });
    const b = make({ KEY_PREFIX: `site-b-${name}` });
    const aV2 = make({ KEY_PREFIX: `site-a-${name}`, VERSION: 2 });
    await a.set("k", "a");
    await b.set("k", "b");
    expect(await a.get("k")).toBe("a");
    expect(await b.get("k")).toBe("b");
    expect(await aV2.get("k")).toBeUndefined();
    expect(await a.get("k", undefined, 1)).toBe("a");
    expect(a.makeKey("k")).toBe(`site-a-${name}:1:k`);
    expect(await a.incrVersion("k")).toBe(2);
    expect(await a.get("k")).toBeUndefined();
    expect(await aV2.get("k")).toBe("a");
    await expect(a.incrVersion("nothing")).rejects.toBeInstanceOf(CacheKeyMissing);
    if (name === "redis") {
      // locmem stores are per LOCATION; redis shares one server: clear() must leave the other site alone.
      await a.clear();
      expect(await aV2.get("k")).toBeUndefined();
      expect(await b.get("k")).toBe("b");
    }
  });
});

describe("createCache", () => {
  it("refuses an unknown BACKEND with the fix in the message", () => {
    expect(() => createCache({ BACKEND: "memcached" as "redis" })).toThrow(/expected "locmem", "redis", "file", "db" or "dummy"/);
  });

  it("locmem drops the least recently used entries beyond MAX_ENTRIES", async () => {
    const cache = new LocMemCache({ LOCATION: "lru", OPTIONS: { MAX_ENTRIES: 2 } });
    await cache.set("a", 1);
    await cache.set("b", 2);
    await cache.get("a");
    await cache.set("c", 3);
    expect(await cache.getMany(["a", "b", "c"])).toEqual({ a: 1, c: 3 });
  });
});
