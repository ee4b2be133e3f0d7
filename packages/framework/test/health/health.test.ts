import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callApp } from "tsgi";
import { caches, connections, type SettingsInput } from "../../src/index.js";
import { makeApp } from "../helpers/core.js";
import { redisUnavailable, startRedis, type RedisServer } from "../helpers/redis.js";

const skip = redisUnavailable();
let redis: RedisServer;
const dir = mkdtempSync(join(tmpdir(), "tsgi-health-"));

beforeAll(async () => {
  if (skip === undefined) redis = await startRedis();
}, 30_000);
afterAll(async () => {
  await caches.closeAll();
  await connections.closeAll();
  await redis?.stop({ remove: true });
  rmSync(dir, { recursive: true, force: true });
});

const probe = (settings: Partial<SettingsInput>, path: string, method = "GET") =>
  callApp(makeApp({ urlpatterns: [], ...settings }), { path, method, headers: { host: "10.1.2.3:8000" } });
const json = (text: string) => JSON.parse(text) as { status: string; checks?: Record<string, string> };
const header = (headers: ReadonlyArray<readonly [string, string]>, name: string) => headers.find(([n]) => n.toLowerCase() === name)?.[1];

describe("HEALTH_CHECKS", () => {
  it("is off by default: the paths are ordinary URLs", async () => {
    expect((await callApp(makeApp({ urlpatterns: [] }), { path: "/healthz" })).status).toBe(404);
  });

  it("liveness answers 200 JSON, no-store, even with a Host outside ALLOWED_HOSTS (probes use the pod IP)", async () => {
    const response = await probe({ HEALTH_CHECKS: { LIVENESS_PATH: "/healthz" } }, "/healthz");
    expect(response.status).toBe(200);
    expect(json(response.text())).toEqual({ status: "alive" });
    expect(header(response.headers, "cache-control")).toBe("no-store");
    expect((await probe({ HEALTH_CHECKS: { LIVENESS_PATH: "/healthz" } }, "/healthz", "HEAD")).status).toBe(200);
    // Other methods and paths are not probes: the Host check applies to them.
    expect((await probe({ HEALTH_CHECKS: { LIVENESS_PATH: "/healthz" } }, "/healthz", "POST")).status).toBe(400);
  });

  it.skipIf(skip !== undefined)("readiness: 200 when the database and Redis answer, 503 + Retry-After while Redis is down, 200 again after", async () => {
    const settings: Partial<SettingsInput> = {
      DATABASES: { default: { ENGINE: "sqlite", NAME: join(dir, "db.sqlite3") } },
      CACHES: { default: { BACKEND: "redis", LOCATION: redis.url, OPTIONS: { COMMAND_TIMEOUT_MS: 500 } } },
      HEALTH_CHECKS: { READINESS_PATH: "/readyz", TIMEOUT_MS: 1000 },
    };
    const ready = await probe(settings, "/readyz");
    expect(ready.status).toBe(200);
    expect(json(ready.text())).toEqual({ status: "ready", checks: { "database:default": "ok", "cache:default": "ok" } });

    await redis.stop();
    try {
      const down = await probe(settings, "/readyz");
      expect(down.status).toBe(503);
      expect(header(down.headers, "retry-after")).toBe("5");
      expect(json(down.text()).checks).toEqual({ "database:default": "ok", "cache:default": "failed" });
    } finally {
      await redis.start();
    }
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await probe(settings, "/readyz")).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe(200);
  });

  it("readiness: 503 when the database server is unreachable; DEBUG says why", async () => {
    const settings: Partial<SettingsInput> = {
      DEBUG: true,
      DATABASES: { default: { ENGINE: "postgresql", NAME: "x", USER: "postgres", HOST: "127.0.0.1", PORT: 1 } },
      HEALTH_CHECKS: { READINESS_PATH: "/readyz", TIMEOUT_MS: 2000 },
    };
    await connections.closeAll(); // the previous test's database (one settings object per process in real use)
    const response = await probe(settings, "/readyz");
    expect(response.status).toBe(503);
    expect(json(response.text()).checks?.["database:default"]).toMatch(/^failed: /);
  });

  it("a typo in HEALTH_CHECKS or CACHES fails at start-up naming the setting", () => {
    expect(() => makeApp({ HEALTH_CHECKS: { LIVENES_PATH: "/x" } as never })).toThrow(/HEALTH_CHECKS: unknown key "LIVENES_PATH"/);
    expect(() => makeApp({ CACHES: { default: { BACKEND: "memcached" as "redis" } } })).toThrow(/CACHES/);
  });
});
