import { ImproperlyConfigured } from "../exceptions.js";
import { BATTERY_SETTINGS_SCHEMA } from "./batterySchema.js";
import { DEFAULT_SETTINGS } from "./defaults.js";
import { describeUnknownSetting, findUnknownSettings, type UnknownSetting } from "./knownSettings.js";
import { SETTINGS_SCHEMA } from "./schema.js";
import type { Settings, SettingsInput } from "./types.js";

/** Settings with the project's own extra keys kept, typed. */
export type DefinedSettings<T> = Readonly<Settings & Omit<T, keyof Settings>>;

/**
 * Thrown by {@link defineSettings}; `problems` lists every wrong setting, each message naming it,
 * and `unknownSettings` the misspelt or undeclared names with their "did you mean" guesses.
 */
export class SettingsError extends ImproperlyConfigured {
  constructor(
    readonly problems: readonly string[],
    readonly unknownSettings: readonly UnknownSetting[] = [],
  ) {
    super(`Invalid settings:\n  - ${problems.join("\n  - ")}`);
  }
}

/**
 * Validates the project's settings and fills in Django's defaults for the rest.
 * Throws a {@link SettingsError} naming every wrong setting, so a bad deploy fails
 * at start-up rather than on the first request that needs the setting. An unknown
 * top-level name (`MIDDLEWARES`) is an error with a "did you mean" guess; the project's
 * own settings are declared in `CUSTOM_SETTINGS`.
 *
 * @example
 * export const settings = defineSettings({
 *   DEBUG: process.env.DEBUG === "1",
 *   SECRET_KEY: process.env.SECRET_KEY ?? "dev-only-key",
 *   ALLOWED_HOSTS: ["example.com"],
 *   urlpatterns: [path("", home, { name: "home" })],
 *   CUSTOM_SETTINGS: ["MY_FEATURE_FLAG"],
 *   MY_FEATURE_FLAG: true,
 * });
 */
export function defineSettings<T extends SettingsInput>(input: T): DefinedSettings<T> {
  if (typeof input !== "object" || input === null) {
    throw new SettingsError(["settings must be an object"]);
  }
  const unknownSettings = findUnknownSettings(input);
  const problems: string[] = unknownSettings.map(describeUnknownSetting);
  for (const [name, check] of Object.entries(SETTINGS_SCHEMA)) {
    const value: unknown = (input as Record<string, unknown>)[name];
    if (value === undefined && name !== "SECRET_KEY") continue;
    const problem = check(value);
    if (problem !== undefined) problems.push(`${name}: ${problem}`);
  }
  // The batteries' settings are optional: checked only when the project sets them.
  for (const [name, check] of Object.entries(BATTERY_SETTINGS_SCHEMA)) {
    const value: unknown = (input as Record<string, unknown>)[name];
    const problem = value === undefined ? undefined : check(value);
    if (problem !== undefined) problems.push(`${name}: ${problem}`);
  }
  const hasUrlconf = input.ROOT_URLCONF !== undefined && input.ROOT_URLCONF !== null;
  const hasPatterns = input.urlpatterns !== undefined && input.urlpatterns !== null;
  if (hasUrlconf && hasPatterns) {
    problems.push("ROOT_URLCONF and urlpatterns: set only one of them (urlpatterns is a shorthand for ROOT_URLCONF)");
  }
  if (input.CSRF_COOKIE_SAMESITE === "None" && input.CSRF_COOKIE_SECURE !== true) {
    problems.push('CSRF_COOKIE_SAMESITE: "None" requires CSRF_COOKIE_SECURE: true (browsers reject it otherwise)');
  }
  if (input.SESSION_COOKIE_SAMESITE === "None" && input.SESSION_COOKIE_SECURE !== true) {
    problems.push('SESSION_COOKIE_SAMESITE: "None" requires SESSION_COOKIE_SECURE: true (browsers reject it otherwise)');
  }
  if (problems.length > 0) throw new SettingsError(problems, unknownSettings);
  return Object.freeze({ ...DEFAULT_SETTINGS, ...stripUndefined(input) }) as DefinedSettings<T>;
}

/**
 * True for an object `defineSettings` produced or one that at least has the shape.
 *
 * @example
 * const settings = isSettings(module.settings) ? module.settings : defineSettings(module.default);
 */
export function isSettings(value: unknown): value is Settings {
  return typeof value === "object" && value !== null && "SECRET_KEY" in value && "MIDDLEWARE" in value;
}

function stripUndefined<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<T>;
}
