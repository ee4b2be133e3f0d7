import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { callApp, type TestResponse } from "tsgi";
import {
  FileSessionBackend,
  HttpResponse,
  SessionMiddleware,
  SignedCookieSessionBackend,
  path,
  type HttpRequest,
  type SessionBackend,
  type SettingsInput,
  type TsgiApplication,
} from "../src/index.js";
import { closeAll, makeApp, serve } from "./helpers/core.js";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "tsgi-sessions-"));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
afterEach(closeAll);

const views = [
  path("set/", async (request: HttpRequest) => {
    await request.session.set("user", request.GET.get("user") ?? "ada");
    return new HttpResponse("set");
  }),
  path("get/", async (request: HttpRequest) => new HttpResponse(String((await request.session.get("user")) ?? "anonymous"))),
  path("none/", () => new HttpResponse("untouched")),
  path("login/", async (request: HttpRequest) => {
    await request.session.cycleKey();
    await request.session.set("user", "grace");
    return new HttpResponse("logged in");
  }),
  path("logout/", async (request: HttpRequest) => {
    await request.session.flush();
    return new HttpResponse("bye");
  }),
  path("expiry/", async (request: HttpRequest) => {
    const value = request.GET.get("seconds");
    await request.session.setExpiry(value === null ? null : Number(value));
    return new HttpResponse(String(request.session.getExpiryAge()));
  }),
  path("boom/", async (request: HttpRequest) => {
    await request.session.set("user", "should-not-save");
    return new HttpResponse("fail", { status: 500 });
  }),
];

function sessionApp(extra: Partial<SettingsInput> = {}): TsgiApplication {
  return makeApp({ MIDDLEWARE: [SessionMiddleware], urlpatterns: views, ...extra });
}

function sessionCookie(res: TestResponse, name = "sessionid"): string | undefined {
  return res.headers.getAll("set-cookie").find((value) => value.startsWith(`${name}=`));
}
const pair = (setCookie: string | undefined): string => (setCookie ?? "").split(";")[0] ?? "";

describe("signed-cookie sessions", () => {
  const app = () => sessionApp({ SESSION_ENGINE: "signed_cookies" });

  it("round-trips data through the cookie with the default flags", async () => {
    const a = app();
    const set = await callApp(a, { path: "/set/?user=ada" });
    const cookie = sessionCookie(set) ?? "";
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).toMatch(/Max-Age=1209600/);
    expect(cookie).not.toMatch(/Secure/);
    expect((await callApp(a, { path: "/get/", headers: { cookie: pair(cookie) } })).text()).toBe("ada");
  });

  it("ignores a tampered cookie: an empty session, never an error", async () => {
    const a = app();
    const cookie = pair(sessionCookie(await callApp(a, { path: "/set/?user=ada" })));
    const value = cookie.slice("sessionid=".length);
    const flipped = value.slice(0, 5) + (value[5] === "A" ? "B" : "A") + value.slice(6);
    for (const tampered of [`sessionid=${flipped}`, `sessionid=${value}x`, "sessionid=garbage", "sessionid=a:b:c"]) {
      const res = await callApp(a, { path: "/get/", headers: { cookie: tampered } });
      expect(res.status, tampered).toBe(200);
      expect(res.text(), tampered).toBe("anonymous");
    }
  });

  it("refuses a cookie signed with another SECRET_KEY but accepts SECRET_KEY_FALLBACKS", async () => {
    const other = sessionApp({ SESSION_ENGINE: "signed_cookies", SECRET_KEY: "another-key-entirely" });
    const cookie = pair(sessionCookie(await callApp(other, { path: "/set/?user=mallory" })));
    expect((await callApp(app(), { path: "/get/", headers: { cookie } })).text()).toBe("anonymous");
    const rotated = sessionApp({ SESSION_ENGINE: "signed_cookies", SECRET_KEY_FALLBACKS: ["another-key-entirely"] });
    expect((await callApp(rotated, { path: "/get/", headers: { cookie } })).text()).toBe("mallory");
  });

  it("expires cookies older than SESSION_COOKIE_AGE", async () => {
    const backend = new SignedCookieSessionBackend({ secretKey: "expiry" });
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() - 3600_000);
      const hourOld = await backend.save(undefined, { user: "ada" }, { expiresAt: 0, maxAge: 60 });
      vi.useRealTimers();
      expect(await backend.load(hourOld, 60)).toBeUndefined();
      expect(await backend.load(hourOld, 7200)).toEqual({ user: "ada" });
    } finally {
      vi.useRealTimers();
    }
  });

  it("deletes the cookie when the session is flushed", async () => {
    const a = app();
    const cookie = pair(sessionCookie(await callApp(a, { path: "/set/" })));
    const res = await callApp(a, { path: "/logout/", headers: { cookie } });
    expect(sessionCookie(res)).toMatch(/^sessionid=; .*Max-Age=0/);
    expect(res.headers.get("vary")).toBe("Cookie");
  });
});

describe("file sessions", () => {
  it("stores data in SESSION_FILE_PATH under a random key and reads it back", async () => {
    const dir = tempDir();
    const a = sessionApp({ SESSION_FILE_PATH: dir });
    const cookie = pair(sessionCookie(await callApp(a, { path: "/set/?user=lin" })));
    const key = cookie.slice("sessionid=".length);
    expect(key).toMatch(/^[a-z0-9]{32}$/);
    expect(readdirSync(dir)).toEqual([`sessionid${key}`]);
    expect((await callApp(a, { path: "/get/", headers: { cookie } })).text()).toBe("lin");
  });

  it("treats unknown, malformed and path-like keys as a new session", async () => {
    const a = sessionApp({ SESSION_FILE_PATH: tempDir() });
    for (const cookie of ["sessionid=0123456789abcdef0123456789abcdef", "sessionid=..%2F..%2Fetc%2Fpasswd", "sessionid=short"]) {
      const res = await callApp(a, { path: "/get/", headers: { cookie } });
      expect(res.status).toBe(200);
      expect(res.text()).toBe("anonymous");
    }
    // A session planted by an attacker is not adopted: saving gets a fresh key.
    const res = await callApp(a, { path: "/set/", headers: { cookie: "sessionid=0123456789abcdef0123456789abcdef" } });
    expect(pair(sessionCookie(res))).not.toBe("sessionid=0123456789abcdef0123456789abcdef");
  });

  it("cycleKey keeps the data under a new key and deletes the old file", async () => {
    const dir = tempDir();
    const a = sessionApp({ SESSION_FILE_PATH: dir });
    const before = pair(sessionCookie(await callApp(a, { path: "/set/?user=ada" })));
    const login = await callApp(a, { path: "/login/", headers: { cookie: before } });
    const after = pair(sessionCookie(login));
    expect(after).toMatch(/^sessionid=[a-z0-9]{32}$/);
    expect(after).not.toBe(before);
    expect(existsSync(join(dir, `sessionid${before.slice(10)}`))).toBe(false);
    expect((await callApp(a, { path: "/get/", headers: { cookie: after } })).text()).toBe("grace");
    expect((await callApp(a, { path: "/get/", headers: { cookie: before } })).text()).toBe("anonymous");
  });

  it("flush deletes the stored session", async () => {
    const dir = tempDir();
    const a = sessionApp({ SESSION_FILE_PATH: dir });
    const cookie = pair(sessionCookie(await callApp(a, { path: "/set/" })));
    await callApp(a, { path: "/logout/", headers: { cookie } });
    expect(readdirSync(dir)).toEqual([]);
  });

  it("drops expired sessions", async () => {
    const backend = new FileSessionBackend({ directory: tempDir() });
    const key = await backend.save(undefined, { a: 1 }, { expiresAt: Date.now() - 1000, maxAge: -1 });
    expect(await backend.load(key)).toBeUndefined();
    const live = await backend.save(undefined, { a: 2 }, { expiresAt: Date.now() + 60_000, maxAge: 60 });
    expect(await backend.load(live)).toEqual({ a: 2 });
    expect(await backend.clearExpired()).toBe(0);
    const stale = await backend.save(undefined, { a: 3 }, { expiresAt: Date.now() - 1, maxAge: -1 });
    writeFileSync(join(backend.directory, "sessionid" + "c".repeat(32)), "{not json");
    expect(await backend.clearExpired()).toBe(2);
    expect(readdirSync(backend.directory).sort()).toEqual([`sessionid${live}`]);
    expect(stale).toMatch(/^[a-z0-9]{32}$/);
  });
});

describe("SessionMiddleware", () => {
  function countingBackend(): SessionBackend & { loads: number; saves: number } {
    const inner = new SignedCookieSessionBackend({ secretKey: "counting" });
    const backend = {
      loads: 0,
      saves: 0,
      load: (key: string, maxAge: number) => {
        backend.loads++;
        return inner.load(key, maxAge);
      },
      save: (...args: Parameters<SessionBackend["save"]>) => {
        backend.saves++;
        return inner.save(...args);
      },
      delete: (key: string) => inner.delete(key),
    };
    return backend;
  }

  it("loads lazily and saves only when modified", async () => {
    const backend = countingBackend();
    const a = sessionApp({ SESSION_ENGINE: backend });
    const cookie = pair(sessionCookie(await callApp(a, { path: "/set/" })));
    expect(backend.saves).toBe(1);
    const untouched = await callApp(a, { path: "/none/", headers: { cookie } });
    expect(backend.loads).toBe(0);
    expect(untouched.headers.get("set-cookie")).toBeUndefined();
    expect(untouched.headers.get("vary")).toBeUndefined();
    const read = await callApp(a, { path: "/get/", headers: { cookie } });
    expect(backend.loads).toBe(1);
    expect(backend.saves).toBe(1);
    expect(read.headers.get("set-cookie")).toBeUndefined();
    expect(read.headers.get("vary")).toBe("Cookie");
  });

  it("saves on every request with SESSION_SAVE_EVERY_REQUEST", async () => {
    const backend = countingBackend();
    const a = sessionApp({ SESSION_ENGINE: backend, SESSION_SAVE_EVERY_REQUEST: true });
    const cookie = pair(sessionCookie(await callApp(a, { path: "/set/" })));
    const read = await callApp(a, { path: "/get/", headers: { cookie } });
    expect(backend.saves).toBe(2);
    expect(sessionCookie(read)).toBeDefined();
  });

  it("does not save when the response is a server error", async () => {
    const backend = countingBackend();
    const res = await callApp(sessionApp({ SESSION_ENGINE: backend }), { path: "/boom/" });
    expect(res.status).toBe(500);
    expect(backend.saves).toBe(0);
    expect(res.headers.get("set-cookie")).toBeUndefined();
  });

  it("takes the cookie's name and flags from settings", async () => {
    const a = sessionApp({
      SESSION_ENGINE: "signed_cookies",
      SESSION_COOKIE_NAME: "sid",
      SESSION_COOKIE_PATH: "/app",
      SESSION_COOKIE_DOMAIN: "example.com",
      SESSION_COOKIE_SECURE: true,
      SESSION_COOKIE_HTTPONLY: false,
      SESSION_COOKIE_SAMESITE: "Strict",
      SESSION_COOKIE_AGE: 600,
    });
    const cookie = sessionCookie(await callApp(a, { path: "/set/" }), "sid") ?? "";
    expect(cookie).toMatch(/^sid=/);
    expect(cookie).toMatch(/Path=\/app/);
    expect(cookie).toMatch(/Domain=example\.com/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).not.toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Max-Age=600/);
    expect(cookie).toMatch(/Expires=/);
  });

  it("sends a browser-session cookie with SESSION_EXPIRE_AT_BROWSER_CLOSE or setExpiry(0)", async () => {
    const atClose = sessionCookie(await callApp(sessionApp({ SESSION_ENGINE: "signed_cookies", SESSION_EXPIRE_AT_BROWSER_CLOSE: true }), { path: "/set/" })) ?? "";
    expect(atClose).not.toMatch(/Max-Age|Expires/);
    const a = sessionApp({ SESSION_ENGINE: "signed_cookies" });
    const zero = await callApp(a, { path: "/expiry/?seconds=0" });
    expect(sessionCookie(zero)).not.toMatch(/Max-Age|Expires/);
    const minute = await callApp(a, { path: "/expiry/?seconds=60" });
    expect(minute.text()).toBe("60");
    expect(sessionCookie(minute)).toMatch(/Max-Age=60/);
  });

  it("refuses an unknown SESSION_ENGINE at start-up, naming the setting", () => {
    expect(() => sessionApp({ DEBUG: true, SESSION_ENGINE: "redis" as never })).toThrow(/SESSION_ENGINE: expected "file", "signed_cookies" or a session backend object/);
  });

  it("refuses values JSON cannot store, naming the key", async () => {
    const a = makeApp({
      DEBUG: true,
      MIDDLEWARE: [SessionMiddleware],
      SESSION_ENGINE: "signed_cookies",
      urlpatterns: [
        path("fn/", async (request: HttpRequest) => {
          await request.session.set("callback", () => 1);
          return new HttpResponse("stored");
        }),
        path("undef/", async (request: HttpRequest) => {
          await request.session.set("nothing", undefined);
          return new HttpResponse("stored");
        }),
      ],
    });
    // A browser's Accept: the DEBUG page is HTML (plain text for a client that does not ask for HTML).
    const fn = await callApp(a, { path: "/fn/", headers: { accept: "text/html" } });
    expect(fn.status).toBe(500);
    expect(fn.text()).toContain("Session value for &quot;callback&quot; is not JSON-serialisable");
    const undef = await callApp(a, { path: "/undef/" });
    expect(undef.status).toBe(500);
    expect(undef.text()).toContain("session.delete(");
  });

  it("explains a missing SessionMiddleware", async () => {
    const res = await callApp(makeApp({ DEBUG: true, urlpatterns: views }), { path: "/get/" });
    expect(res.status).toBe(500);
    expect(res.text()).toContain("request.session needs SessionMiddleware");
  });

  it("keeps a login across requests over a real server", async () => {
    const running = await serve(sessionApp({ SESSION_FILE_PATH: tempDir() }));
    const first = await fetch(`${running.url}/set/?user=ada`);
    const cookie = pair(first.headers.getSetCookie().find((value) => value.startsWith("sessionid=")));
    const login = await fetch(`${running.url}/login/`, { headers: { cookie } });
    const rotated = pair(login.headers.getSetCookie().find((value) => value.startsWith("sessionid=")));
    expect(rotated).not.toBe(cookie);
    expect(await (await fetch(`${running.url}/get/`, { headers: { cookie: rotated } })).text()).toBe("grace");
  });
});
