import { describe, expect, test } from "vitest";
import { Client, DatabaseSessionBackend, HttpResponse, SESSIONS_APP, SessionMiddleware, defineSettings, executeFromCommandLine, getTsgiApplication, path, type HttpRequest } from "../../src/index.js";
import { installedApps, loadMigrations, planMigrations } from "../../src/db/index.js";
import { Session } from "../../src/db/contrib/sessions/models.js";
import { BACKENDS, skipBackend, useDatabase } from "./backends.js";

test("the sessions app's shipped migration matches its model (makemigrations finds nothing)", async () => {
  const apps = installedApps({ INSTALLED_APPS: [SESSIONS_APP] });
  expect(apps.map((a) => a.label)).toEqual(["sessions"]);
  expect(planMigrations(apps, await loadMigrations(apps))).toEqual([]);
});

describe.each(BACKENDS)("DatabaseSessionBackend on %s", (backend) => {
  if (skipBackend(backend)) return test.skip("PostgreSQL is not installed");
  useDatabase(backend, [Session], "sessions");

  const counter = async (request: HttpRequest) => {
    const visits = ((await request.session.get("visits")) as number | undefined) ?? 0;
    await request.session.set("visits", visits + 1);
    return new HttpResponse(String(visits + 1));
  };
  const settings = () =>
    defineSettings({ SECRET_KEY: "k", ALLOWED_HOSTS: ["testserver"], MIDDLEWARE: [SessionMiddleware], SESSION_ENGINE: new DatabaseSessionBackend(), urlpatterns: [path("", counter)] });

  test("a session lives in tsgi_session across requests; another client has its own", async () => {
    const app = getTsgiApplication(settings());
    const client = new Client(app);
    expect((await client.get("/")).text()).toBe("1");
    expect((await client.get("/")).text()).toBe("2");
    expect((await new Client(app).get("/")).text()).toBe("1");
    expect(await Session.objects.count()).toBe(2);
    const stored = await Session.objects.first();
    expect(JSON.parse(stored?.sessionData ?? "{}")).toHaveProperty("visits");
  });

  test("expired, unknown and malformed keys are empty sessions; clearsessions deletes expired rows", async () => {
    const store = new DatabaseSessionBackend();
    const key = await store.save(undefined, { a: 1 }, { expiresAt: Date.now() + 60_000, maxAge: 60 });
    expect(await store.load(key)).toEqual({ a: 1 });
    expect(await store.save(key, { a: 2 }, { expiresAt: Date.now() + 60_000, maxAge: 60 })).toBe(key);
    expect(await store.load(key)).toEqual({ a: 2 });
    const old = await store.save(undefined, { b: 1 }, { expiresAt: Date.now() - 1000, maxAge: 0 });
    expect(await store.load(old)).toBeUndefined();
    expect(await store.load("unknownkey123")).toBeUndefined();
    expect(await store.load("../../etc/passwd")).toBeUndefined();
    await Session.objects.filter({ sessionKey: key }).update({ sessionData: "not json" });
    expect(await store.load(key)).toBeUndefined();
    const out: string[] = [];
    const code = await executeFromCommandLine(["clearsessions"], { settings: settings(), stdout: (line) => out.push(line) });
    expect([code, out]).toEqual([0, ["1 expired session deleted."]]);
    expect(await Session.objects.count()).toBe(1);
    await store.delete(key);
    expect(await Session.objects.count()).toBe(0);
  });
});
