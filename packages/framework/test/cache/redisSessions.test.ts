import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { callApp, type TestResponse } from "tsgi";
import {
  CacheSessionBackend,
  CacheUnavailable,
  CachedDbSessionBackend,
  DatabaseSessionBackend,
  HttpResponse,
  RedisCache,
  SessionMiddleware,
  caches,
  connections,
  models,
  path,
  type HttpRequest,
  type SessionBackend,
  type TsgiApplication,
} from "../../src/index.js";
import { Session as SessionModel } from "../../src/db/contrib/sessions/models.js";
import { makeApp } from "../helpers/core.js";
import { redisUnavailable, startRedis, type RedisServer } from "../helpers/redis.js";

const skip = redisUnavailable();
let redis: RedisServer;
const opened: RedisCache[] = [];

beforeAll(async () => {
  if (skip !== undefined) return;
  redis = await startRedis();
  await connections.override("default", { ENGINE: "sqlite", NAME: ":memory:" });
  await models.createTables([SessionModel]);
}, 30_000);
afterAll(async () => {
  await Promise.all(opened.map((cache) => cache.close()));
  await caches.closeAll();
  await connections.restore("default");
  await redis?.stop({ remove: true });
});
// Every test leaves Redis running, whatever it did to it.
afterEach(async () => {
  if (skip === undefined && redis.pid === undefined) await redis.start();
});

function redisCache(): RedisCache {
  const cache = new RedisCache({ LOCATION: redis.url, KEY_PREFIX: "sessions-test", OPTIONS: { COMMAND_TIMEOUT_MS: 500 } });
  opened.push(cache);
  return cache;
}

/** One "instance": its own app and its own Redis client. */
function instance(backend: SessionBackend): TsgiApplication {
  return makeApp({
    SESSION_ENGINE: backend,
    MIDDLEWARE: [SessionMiddleware],
    urlpatterns: [
      path("login/", async (request: HttpRequest) => {
        await request.session.cycleKey();
        await request.session.set("user", request.GET.get("user") ?? "ada");
        return new HttpResponse("in");
      }),
      path("whoami/", async (request: HttpRequest) => new HttpResponse(String((await request.session.get("user")) ?? "anonymous"))),
      path("logout/", async (request: HttpRequest) => {
        await request.session.flush();
        return new HttpResponse("out");
      }),
    ],
  });
}

function cookieOf(response: TestResponse): string {
  const line = response.headers.filter(([name]) => name.toLowerCase() === "set-cookie").map(([, value]) => value).find((v) => v.startsWith("sessionid="));
  if (line === undefined) throw new Error("no session cookie");
  return line.split(";")[0] as string;
}

async function waitUntil(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(skip !== undefined)("Redis outage: bounded errors, recovery by itself", () => {
  it("a command while Redis is down raises CacheUnavailable (no hang), and works again when it returns", async () => {
    const cache = redisCache();
    await cache.set("k", 1);
    await redis.stop();
    await expect(cache.get("k")).rejects.toBeInstanceOf(CacheUnavailable);
    await expect(cache.set("k", 2)).rejects.toThrow(/unreachable|did not answer|failed/);
    expect(await cache.ping()).toBe(false);
    await redis.start();
    // The same object reconnects in the background: no restart of the worker needed.
    await waitUntil(() => cache.ping(), "the client to reconnect");
    await cache.set("k", 3);
    expect(await cache.get("k")).toBe(3);
  });

  it("a server that never started: CacheUnavailable naming the location", async () => {
    const port = redis.port;
    await redis.stop();
    const cache = new RedisCache({ LOCATION: `redis://127.0.0.1:${port}/0`, OPTIONS: { COMMAND_TIMEOUT_MS: 300, CONNECT_TIMEOUT_MS: 300 } });
    opened.push(cache);
    await expect(cache.get("k")).rejects.toThrow(new RegExp(`127\\.0\\.0\\.1:${port}.*unreachable`));
  });
});

describe.skipIf(skip !== undefined)('SESSION_ENGINE "cache" on Redis', () => {
  it("a login on one instance is seen by another; logout on the second ends it for both", async () => {
    const a = instance(new CacheSessionBackend({ cache: redisCache() }));
    const b = instance(new CacheSessionBackend({ cache: redisCache() }));
    const cookie = cookieOf(await callApp(a, { path: "/login/?user=grace" }));
    expect((await callApp(b, { path: "/whoami/", headers: { cookie } })).text()).toBe("grace");
    expect((await callApp(b, { path: "/logout/", headers: { cookie } })).text()).toBe("out");
    expect((await callApp(a, { path: "/whoami/", headers: { cookie } })).text()).toBe("anonymous");
  });

  it("while Redis is down a request needing the session gets 503 with Retry-After; after, it works again", async () => {
    const a = instance(new CacheSessionBackend({ cache: redisCache() }));
    const cookie = cookieOf(await callApp(a, { path: "/login/" }));
    await redis.stop();
    const down = await callApp(a, { path: "/whoami/", headers: { cookie } });
    expect(down.status).toBe(503);
    expect(down.headers.find(([name]) => name.toLowerCase() === "retry-after")?.[1]).toMatch(/^\d+$/);
    expect((await callApp(a, { path: "/login/" })).status).toBe(503);
    await redis.start();
    await waitUntil(async () => (await callApp(a, { path: "/login/" })).status === 200, "logins to work again");
  });
});

describe.skipIf(skip !== undefined)('SESSION_ENGINE "cached_db": Redis in front of the database', () => {
  it("reads come from the cache, survive a Redis restart (from the database), and refill the cache", async () => {
    const cache = redisCache();
    const app = instance(new CachedDbSessionBackend({ cache, db: new DatabaseSessionBackend() }));
    const cookie = cookieOf(await callApp(app, { path: "/login/?user=linus" }));
    const key = cookie.slice("sessionid=".length);
    expect(await SessionModel.objects.filter({ sessionKey: key }).count()).toBe(1);
    expect(await cache.get(`tsgi.contrib.sessions.cache${key}`)).toEqual({ user: "linus" });

    await redis.stop();
    // Redis down: the database answers reads.
    expect((await callApp(app, { path: "/whoami/", headers: { cookie } })).text()).toBe("linus");
    await redis.start(); // comes back empty (no persistence)
    await waitUntil(() => cache.ping(), "the client to reconnect");
    expect(await cache.get(`tsgi.contrib.sessions.cache${key}`)).toBeUndefined();
    expect((await callApp(app, { path: "/whoami/", headers: { cookie } })).text()).toBe("linus");
    expect(await cache.get(`tsgi.contrib.sessions.cache${key}`)).toEqual({ user: "linus" });

    expect((await callApp(app, { path: "/logout/", headers: { cookie } })).text()).toBe("out");
    expect(await SessionModel.objects.filter({ sessionKey: key }).count()).toBe(0);
    expect(await cache.get(`tsgi.contrib.sessions.cache${key}`)).toBeUndefined();
  });

  it('the "cache" and "cached_db" names work in SESSION_ENGINE with CACHES', async () => {
    const app = makeApp({
      SESSION_ENGINE: "cached_db",
      CACHES: { default: { BACKEND: "redis", LOCATION: redis.url, KEY_PREFIX: "named" } },
      MIDDLEWARE: [SessionMiddleware],
      urlpatterns: [
        path("set/", async (request: HttpRequest) => {
          await request.session.set("n", 1);
          return new HttpResponse("ok");
        }),
      ],
    });
    const cookie = cookieOf(await callApp(app, { path: "/set/" }));
    expect(await SessionModel.objects.filter({ sessionKey: cookie.slice("sessionid=".length) }).count()).toBe(1);
  });
});
