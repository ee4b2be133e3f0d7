import { describe, expect, it } from "vitest";
import {
  KNOWN_SETTING_NAMES,
  SettingsError,
  defineSettings,
  executeFromCommandLine,
  findUnknownSettings,
  getTsgiApplication,
  overrideSettings,
  path,
  runChecks,
  HttpResponse,
  type Settings,
  type SettingsInput,
} from "../src/index.js";
import { BASE_SETTINGS } from "./helpers/core.js";

const settingsError = (build: () => unknown): SettingsError => {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return error as SettingsError;
  }
  throw new Error("the settings were accepted");
};

describe("an unknown setting name is an error with a 'did you mean'", () => {
  it.each([
    ["MIDDLEWARES", "MIDDLEWARE"],
    ["ALLOWED_HOST", "ALLOWED_HOSTS"],
    ["TEMPLATE", "TEMPLATES"],
    ["SESION_ENGINE", "SESSION_ENGINE"],
    ["debug", "DEBUG"],
    ["CSRF_COOKIE_SECURED", "CSRF_COOKIE_SECURE"],
  ])("%s -> %s", (typo, known) => {
    const error = settingsError(() => defineSettings({ ...BASE_SETTINGS, [typo]: [] } as SettingsInput));
    expect(error.unknownSettings).toEqual([{ name: typo, suggestion: known }]);
    expect(error.message).toContain(`${typo}: unknown setting, did you mean "${known}"?`);
    expect(error.message).toContain(`CUSTOM_SETTINGS: ["${typo}"]`);
  });

  it("names every unknown setting alongside the wrong values; a name near nothing gets no guess", () => {
    const error = settingsError(() => defineSettings({ SECRET_KEY: "k", MIDDLEWARES: [], PAYMENT_PROVIDER_TOKEN: "x", DEBUG: "yes" } as never));
    expect(error.unknownSettings).toEqual([{ name: "MIDDLEWARES", suggestion: "MIDDLEWARE" }, { name: "PAYMENT_PROVIDER_TOKEN" }]);
    expect(error.problems).toHaveLength(3);
    expect(error.problems[1]).toBe('PAYMENT_PROVIDER_TOKEN: unknown setting (a project\'s own setting must be declared: CUSTOM_SETTINGS: ["PAYMENT_PROVIDER_TOKEN"])');
    expect(error.problems[2]).toMatch(/^DEBUG: expected true or false/);
  });

  it("fails getTsgiApplication at start-up, before any request, so MIDDLEWARES cannot run a site without middleware", () => {
    const urlpatterns = [path("", () => new HttpResponse("home"))];
    const error = settingsError(() => getTsgiApplication({ ...BASE_SETTINGS, urlpatterns, MIDDLEWARES: [] } as SettingsInput));
    expect(error.message).toMatch(/MIDDLEWARES: unknown setting, did you mean "MIDDLEWARE"\?/);
    expect(() => overrideSettings(defineSettings({ ...BASE_SETTINGS, urlpatterns }), { X_FRAME_OPTION: "SAMEORIGIN" } as never)).toThrow(/did you mean "X_FRAME_OPTIONS"/);
  });
});

describe("a project declares its own settings in CUSTOM_SETTINGS", () => {
  it("accepts and types a declared setting, and guesses the declared name for its typo", () => {
    const settings = defineSettings({ ...BASE_SETTINGS, CUSTOM_SETTINGS: ["MY_FEATURE_FLAG"], MY_FEATURE_FLAG: true });
    const flag: boolean = settings.MY_FEATURE_FLAG;
    expect(flag).toBe(true);
    // Defined settings pass again (getTsgiApplication and overrideSettings re-validate them).
    expect(defineSettings(settings)).toMatchObject({ MY_FEATURE_FLAG: true });
    expect(overrideSettings(settings, { DEBUG: true })).toMatchObject({ DEBUG: true, MY_FEATURE_FLAG: true });
    const typo = settingsError(() => defineSettings({ ...BASE_SETTINGS, CUSTOM_SETTINGS: ["MY_FEATURE_FLAG"], MY_FEATURE_FLAGS: true } as SettingsInput));
    expect(typo.unknownSettings).toEqual([{ name: "MY_FEATURE_FLAGS", suggestion: "MY_FEATURE_FLAG" }]);
  });

  it("refuses a CUSTOM_SETTINGS that is not a list of names", () => {
    const error = settingsError(() => defineSettings({ ...BASE_SETTINGS, CUSTOM_SETTINGS: "MY_FEATURE_FLAG" } as never));
    expect(error.problems).toEqual(['CUSTOM_SETTINGS: expected an array, got string "MY_FEATURE_FLAG"']);
  });

  it("knows every setting the framework fills in or validates", () => {
    const defaults = defineSettings({ SECRET_KEY: "k" });
    for (const name of Object.keys(defaults)) expect(KNOWN_SETTING_NAMES.has(name), name).toBe(true);
    for (const name of ["TEMPLATES", "DATABASES", "CACHES", "HEALTH_CHECKS", "SESSION_ENGINE", "PASSWORD_HASHERS", "EMAIL_BACKEND", "COMMANDS", "TSGI_APPLICATION", "BASE_DIR", "INSTALLED_APPS"]) {
      expect(KNOWN_SETTING_NAMES.has(name), name).toBe(true);
    }
    expect(findUnknownSettings(defaults)).toEqual([]);
  });
});

describe("manage check reports an unknown setting", () => {
  it("settings built without defineSettings: settings.E001 with the guess, and check exits 1", async () => {
    const defined = defineSettings({ ...BASE_SETTINGS, urlpatterns: [] });
    const handBuilt = { ...defined, ALLOWED_HOST: ["example.com"] } as Settings;
    const messages = await runChecks(handBuilt);
    expect(messages).toContainEqual({
      level: "ERROR",
      id: "settings.E001",
      message: "ALLOWED_HOST is not a known setting, so it has no effect.",
      hint: 'Did you mean ALLOWED_HOSTS? A project\'s own setting must be declared: CUSTOM_SETTINGS: ["ALLOWED_HOST"].',
    });
    const out: string[] = [];
    const code = await executeFromCommandLine(["check"], { settings: handBuilt, stdout: (line) => out.push(line), stderr: (line) => out.push(line) });
    expect(code).toBe(1);
    expect(out.join("\n")).toContain("(settings.E001) ALLOWED_HOST is not a known setting");
    expect(out.join("\n")).toContain("Did you mean ALLOWED_HOSTS?");
    expect(await runChecks(defineSettings({ ...BASE_SETTINGS, urlpatterns: [], CUSTOM_SETTINGS: ["ALLOWED_HOST"], ALLOWED_HOST: 1 }))).toEqual([]);
  });
});
