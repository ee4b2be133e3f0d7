import { afterEach, describe, expect, it } from "vitest";
import { callApp } from "tsgi";
import { fileURLToPath } from "node:url";
import {
  DEFAULT_SETTINGS,
  HttpResponse,
  ImproperlyConfigured,
  SettingsError,
  defineSettings,
  getTsgiApplication,
  path,
  type SettingsInput,
} from "../src/index.js";
import { BASE_SETTINGS, closeAll } from "./helpers/core.js";

afterEach(closeAll);

const problemsOf = (input: unknown): string[] => {
  try {
    defineSettings(input as SettingsInput);
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return [...(error as SettingsError).problems];
  }
  throw new Error("defineSettings accepted invalid settings");
};

describe("defineSettings", () => {
  it("fills Django's defaults and keeps project settings typed", () => {
    const settings = defineSettings({ SECRET_KEY: "k", CUSTOM_SETTINGS: ["MY_FEATURE_FLAG"], MY_FEATURE_FLAG: true });
    expect(settings.DEBUG).toBe(false);
    expect(settings.DATA_UPLOAD_MAX_MEMORY_SIZE).toBe(2_621_440);
    expect(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS).toBe(1000);
    expect(settings.DATA_UPLOAD_MAX_NUMBER_FILES).toBe(100);
    expect(settings.SESSION_COOKIE_NAME).toBe("sessionid");
    expect(settings.MY_FEATURE_FLAG).toBe(true);
    expect(Object.isFrozen(settings)).toBe(true);
    expect(DEFAULT_SETTINGS.APPEND_SLASH).toBe(true);
  });

  it("requires SECRET_KEY and names it", () => {
    expect(problemsOf({})).toEqual([expect.stringMatching(/^SECRET_KEY: must be a non-empty string/)]);
    expect(problemsOf({ SECRET_KEY: "" })[0]).toMatch(/^SECRET_KEY/);
  });

  it("names every wrong setting with what was expected", () => {
    const problems = problemsOf({
      SECRET_KEY: "k",
      DEBUG: "yes",
      ALLOWED_HOSTS: ["ok.example", "bad host/"],
      DATA_UPLOAD_MAX_MEMORY_SIZE: -1,
      MIDDLEWARE: ["django.middleware.common.CommonMiddleware"],
      SECURE_PROXY_SSL_HEADER: ["HTTP_X_FORWARDED_PROTO"],
      CSRF_TRUSTED_ORIGINS: ["example.com"],
    });
    expect(problems).toEqual([
      expect.stringMatching(/^DEBUG: expected true or false, got string "yes"/),
      expect.stringMatching(/^ALLOWED_HOSTS: item 1: expected a host name/),
      expect.stringMatching(/^MIDDLEWARE: item 0: expected a middleware factory function/),
      expect.stringMatching(/^DATA_UPLOAD_MAX_MEMORY_SIZE: expected a non-negative integer/),
      expect.stringMatching(/^SECURE_PROXY_SSL_HEADER: expected \[environKey, value\]/),
      expect.stringMatching(/^CSRF_TRUSTED_ORIGINS: item 0: expected an origin with a scheme/),
    ]);
  });

  it("accepts null for the limits Django allows to disable", () => {
    const settings = defineSettings({ SECRET_KEY: "k", DATA_UPLOAD_MAX_MEMORY_SIZE: null, DATA_UPLOAD_MAX_NUMBER_FIELDS: null });
    expect(settings.DATA_UPLOAD_MAX_MEMORY_SIZE).toBeNull();
  });

  it("refuses ROOT_URLCONF together with urlpatterns, and SameSite=None without Secure", () => {
    expect(problemsOf({ SECRET_KEY: "k", ROOT_URLCONF: "./urls.ts", urlpatterns: [] })[0]).toMatch(/set only one/);
    expect(problemsOf({ SECRET_KEY: "k", SESSION_COOKIE_SAMESITE: "None" })[0]).toMatch(/SESSION_COOKIE_SECURE: true/);
  });
});

describe("start-up", () => {
  it("getTsgiApplication validates at start-up, not on the first request", () => {
    expect(() => getTsgiApplication({ SECRET_KEY: "k", DEBUG: 1 } as unknown as SettingsInput)).toThrow(/DEBUG: expected true or false/);
  });

  it("needs a URL configuration; a request then gets a 500 and ready() names the settings", async () => {
    const app = getTsgiApplication({ SECRET_KEY: "k", ALLOWED_HOSTS: ["127.0.0.1"] });
    await expect(app.ready()).rejects.toThrow(/Set ROOT_URLCONF .* or urlpatterns/);
    const res = await callApp(app);
    expect(res.status).toBe(500);
    expect(res.text()).not.toContain("ROOT_URLCONF");
    expect(res.errors).toContain("ImproperlyConfigured");
  });

  it("loads ROOT_URLCONF from a module path once, with its handler404", async () => {
    const urls = fileURLToPath(new URL("./fixtures/core-urls.ts", import.meta.url));
    const app = getTsgiApplication({ ...BASE_SETTINGS, ROOT_URLCONF: urls });
    await app.ready();
    expect((await callApp(app, { path: "/hello/ada/" })).text()).toBe("hello ada");
    const missing = await callApp(app, { path: "/nope/" });
    expect(missing.status).toBe(404);
    expect(missing.text()).toBe("custom 404 for /nope/");
  });

  it("a ROOT_URLCONF that cannot be imported is an ImproperlyConfigured naming the setting", async () => {
    const app = getTsgiApplication({ ...BASE_SETTINGS, ROOT_URLCONF: "./does-not-exist/urls.ts" });
    await expect(app.ready()).rejects.toBeInstanceOf(ImproperlyConfigured);
    await expect(app.ready()).rejects.toThrow(/ROOT_URLCONF: could not import/);
  });

  it("a ROOT_URLCONF object works like a module", async () => {
    const app = getTsgiApplication({ ...BASE_SETTINGS, ROOT_URLCONF: { urlpatterns: [path("", () => new HttpResponse("obj"))] } });
    expect((await callApp(app)).text()).toBe("obj");
  });
});
