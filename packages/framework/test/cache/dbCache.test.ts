import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CacheKeyMissing, Client, DatabaseCache, HttpResponse, ImproperlyConfigured, cachePage, caches, connections, defineSettings, executeFromCommandLine, path } from "../../src/index.js";
import type { DatabaseSettings } from "../../src/db/settings.js";
import { BASE_SETTINGS, makeApp } from "../helpers/core.js";
import { postgresUnavailable, startPostgres, type PostgresServer } from "../helpers/postgres.js";

const folder = mkdtempSync(join(tmpdir(), "db-cache-"));
let postgres: PostgresServer | undefined;
let postgresSettings: DatabaseSettings | undefined;
beforeAll(async () => {
  if (postgresUnavailable() === undefined) {
    postgres = await startPostgres();
    postgresSettings = await postgres.createDatabase("cache");
  }
}, 90_000);
afterAll(async () => {
  await caches.configure(undefined);
  await connections.restore("default");
  await postgres?.stop();
  rmSync(folder, { recursive: true, force: true });
}, 60_000);

const databases: Array<[string, () => DatabaseSettings]> = [
  ["sqlite", () => ({ ENGINE: "sqlite", NAME: join(folder, "cache.sqlite3") })],
  [
    "postgresql",
    () => {
      if (postgresSettings === undefined) throw new Error(postgresUnavailable());
      return postgresSettings;
    },
  ],
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(databases)("db cache on %s (Django's DatabaseCache)", (vendor, database) => {
  const skip = vendor === "postgresql" && postgresUnavailable() !== undefined;
  const CACHES = { default: { BACKEND: "db" as const, LOCATION: "tsgi_cache" } };

  it.skipIf(skip)("manage createcachetable creates the table once; the cache API works on it", async () => {
    await connections.override("default", database());
    const lines: string[] = [];
    const settings = defineSettings({ ...BASE_SETTINGS, DATABASES: { default: database() }, CACHES, urlpatterns: [] });
    const options = { settings, stdout: (line: string) => lines.push(line), stderr: (line: string) => lines.push(line) };
    expect(await executeFromCommandLine(["createcachetable"], options)).toBe(0);
    expect(await executeFromCommandLine(["createcachetable"], options)).toBe(0);
    expect(lines.join("\n")).toMatch(/Created the table "tsgi_cache"[\s\S]*"tsgi_cache" of the cache "default" already exists/);
    await connections.override("default", database());

    const cache = new DatabaseCache({ LOCATION: "tsgi_cache", KEY_PREFIX: vendor });
    await cache.clear();
    expect(await cache.get("missing", "fallback")).toBe("fallback");
    await cache.set("obj", { a: [1, "two"], b: null });
    expect(await cache.get("obj")).toEqual({ a: [1, "two"], b: null });
    await cache.set("obj", "replaced");
    expect(await cache.get("obj")).toBe("replaced");
    expect(await cache.add("obj", "other")).toBe(false);
    expect(await cache.add("fresh", 1)).toBe(true);
    expect(await cache.incr("fresh", 5)).toBe(6);
    expect(await cache.decr("fresh")).toBe(5);
    await expect(cache.incr("nothing")).rejects.toBeInstanceOf(CacheKeyMissing);
    expect(await cache.delete("fresh")).toBe(true);
    expect(await cache.delete("fresh")).toBe(false);
    expect(await cache.getMany(["obj", "fresh"])).toEqual({ obj: "replaced" });
    // Expiry: an expired row is missing, and add() may take its place.
    await cache.set("short", 1, 0.2);
    await cache.set("forever", 1, null);
    expect(await cache.touch("forever", null)).toBe(true);
    for (let i = 0; i < 100 && (await cache.has("short")); i++) await sleep(50);
    expect(await cache.has("short")).toBe(false);
    expect(await cache.touch("short", 10)).toBe(false);
    expect(await cache.add("short", "again")).toBe(true);
    expect(await cache.get("short")).toBe("again");
    expect(await cache.has("forever")).toBe(true);
  });

  it.skipIf(skip)("concurrent incr loses no increment; MAX_ENTRIES culls; a bad LOCATION is refused", async () => {
    await connections.override("default", database());
    const cache = new DatabaseCache({ LOCATION: "tsgi_cache", KEY_PREFIX: `${vendor}-count` });
    await cache.createTable();
    await cache.set("hits", 0);
    await Promise.all(Array.from({ length: 20 }, () => cache.incr("hits")));
    expect(await cache.get("hits")).toBe(20);

    const small = new DatabaseCache({ LOCATION: "tsgi_cache", KEY_PREFIX: `${vendor}-cull`, OPTIONS: { MAX_ENTRIES: 6, CULL_FREQUENCY: 3 } });
    await small.clear();
    for (let i = 0; i < 6; i++) await small.set(`k${i}`, i);
    await small.set("k6", 6);
    // 6 rows reached MAX_ENTRIES: the first 2 keys in order went before the write.
    expect(Object.keys(await small.getMany(["k0", "k1", "k2", "k3", "k4", "k5", "k6"])).sort()).toEqual(["k2", "k3", "k4", "k5", "k6"]);
    expect(() => new DatabaseCache({ LOCATION: "bad; DROP TABLE x" })).toThrow(ImproperlyConfigured);
  });

  it.skipIf(skip)("backs cachePage through CACHES", async () => {
    await connections.override("default", database());
    await caches.configure(CACHES);
    await caches.get().clear();
    let calls = 0;
    const client = new Client(makeApp({ urlpatterns: [path("", cachePage(60)(() => new HttpResponse(`call ${++calls}`)))] }));
    expect((await client.get("/")).text()).toBe("call 1");
    expect((await client.get("/")).text()).toBe("call 1");
    expect(calls).toBe(1);
  });
});
