import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Client, FileBasedCache, HttpResponse, ImproperlyConfigured, cachePage, caches, createCache, path } from "../../src/index.js";
import { makeApp } from "../helpers/core.js";

const root = mkdtempSync(join(tmpdir(), "file-cache-"));
afterAll(async () => {
  await caches.configure(undefined);
  rmSync(root, { recursive: true, force: true });
});

describe("file cache (Django's FileBasedCache)", () => {
  it("needs a LOCATION, creates the folder, and shares entries with every cache object on it", async () => {
    expect(() => createCache({ BACKEND: "file" })).toThrow(ImproperlyConfigured);
    expect(() => createCache({ BACKEND: "file" })).toThrow(/LOCATION/);
    const location = join(root, "shared", "nested");
    const one = createCache({ BACKEND: "file", LOCATION: location });
    const two = new FileBasedCache({ LOCATION: location });
    await one.set("greeting", { text: "hi" });
    expect(await two.get("greeting")).toEqual({ text: "hi" });
    expect(readdirSync(location).filter((name) => name.endsWith(".djcache"))).toHaveLength(1);
    await two.clear();
    expect(await one.get("greeting")).toBeUndefined();
  });

  it("concurrent writers and readers never see half a value, and leave no temporary files", async () => {
    const location = join(root, "atomic");
    const writer = new FileBasedCache({ LOCATION: location });
    const reader = new FileBasedCache({ LOCATION: location });
    const big = (n: number) => ({ n, pad: String(n).repeat(50_000) });
    await writer.set("big", big(0));
    const writes = Array.from({ length: 20 }, (_, n) => writer.set("big", big(n)));
    const reads = Array.from({ length: 40 }, () => reader.get<{ n: number; pad: string }>("big"));
    await Promise.all(writes);
    for (const value of await Promise.all(reads)) {
      expect(value).toBeDefined();
      expect(value?.pad).toBe(String(value?.n).repeat(50_000));
    }
    expect(readdirSync(location).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });

  it("culls 1/CULL_FREQUENCY of the entries beyond MAX_ENTRIES", async () => {
    const location = join(root, "cull");
    const cache = new FileBasedCache({ LOCATION: location, OPTIONS: { MAX_ENTRIES: 9, CULL_FREQUENCY: 3 } });
    for (let i = 0; i < 9; i++) await cache.set(`k${i}`, i);
    expect(await cache.size()).toBe(9);
    await cache.set("one-more", 1);
    expect(await cache.size()).toBe(7);
    expect(await cache.get("one-more")).toBe(1);
  });

  it("an unreadable entry counts as missing", async () => {
    const location = join(root, "corrupt");
    const cache = new FileBasedCache({ LOCATION: location });
    await cache.set("k", 1);
    const [file] = readdirSync(location);
    writeFileSync(join(location, file ?? ""), "garbage without a newline");
    expect(await cache.get("k", "fallback")).toBe("fallback");
  });

  it("backs cachePage when CACHES says BACKEND: \"file\"", async () => {
    await caches.configure({ default: { BACKEND: "file", LOCATION: join(root, "pages") } });
    let calls = 0;
    const client = new Client(makeApp({ urlpatterns: [path("", cachePage(60)(() => new HttpResponse(`call ${++calls}`)))] }));
    expect((await client.get("/")).text()).toBe("call 1");
    expect((await client.get("/")).text()).toBe("call 1");
    expect(readdirSync(join(root, "pages")).length).toBe(2);
  });
});
