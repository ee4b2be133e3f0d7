import { AUTH_SETTINGS_SCHEMA } from "../auth/settingsSchema.js";
import { checkDatabasesSetting } from "../db/settings.js";
import { checkLifespanSetting, checkRequireDatabasesSetting } from "../lifespan/settings.js";
import { arrayOf, isBoolean, isFunction, isNonNegativeInteger, isObject, isString, nullable, oneOf, type Check } from "./checks.js";

/** A record whose every value passes `item`; the message names the bad key. */
const recordOf =
  (item: Check, what: string): Check =>
  (v) => {
    const notObject = isObject(v);
    if (notObject !== undefined) return notObject;
    for (const [key, value] of Object.entries(v as object)) {
      const problem = item(value);
      if (problem !== undefined) return `${JSON.stringify(key)}: ${problem} (${what})`;
    }
    return undefined;
  };

/** An object's optional fields, each with its own check; unknown fields are refused so a typo is caught. */
const shape =
  (fields: Readonly<Record<string, Check>>, example: string): Check =>
  (v) => {
    const notObject = isObject(v);
    if (notObject !== undefined) return `${notObject}; expected ${example}`;
    for (const [key, value] of Object.entries(v as object)) {
      const check = fields[key];
      if (check === undefined) return `unknown key ${JSON.stringify(key)}; expected only ${Object.keys(fields).join(", ")}`;
      if (value === undefined) continue;
      const problem = check(value);
      if (problem !== undefined) return `${key}: ${problem}`;
    }
    return undefined;
  };

const templateOptions = shape(
  {
    contextProcessors: arrayOf(isFunction),
    autoescape: isBoolean,
    filters: recordOf(isFunction, "a filter function"),
    globals: isObject,
  },
  "{ contextProcessors, autoescape, filters, globals }",
);

const templatesEntry = shape({ DIRS: arrayOf(isString), APP_DIRS: isBoolean, OPTIONS: templateOptions }, '{ DIRS: ["templates"], APP_DIRS, OPTIONS }');

/**
 * TEMPLATES: one `{ DIRS, APP_DIRS, OPTIONS }` object, or Django's list form whose first entry is used.
 *
 * @example
 * checkTemplatesSetting({ DIRS: "templates" }); // 'DIRS: expected an array, got string "templates"'
 */
export const checkTemplatesSetting: Check = (v) => {
  if (!Array.isArray(v)) return templatesEntry(v);
  if (v.length > 1) return `only one template engine is supported; got ${v.length} entries`;
  return v.length === 0 ? undefined : templatesEntry(v[0]);
};

const isNonEmptyString: Check = (v) => (typeof v === "string" && v.length > 0 ? undefined : `expected a non-empty string, got ${JSON.stringify(v)}`);

const isSessionEngine: Check = (v) => {
  if (v === "file" || v === "signed_cookies" || v === "cache" || v === "cached_db" || v === "db") return undefined;
  const backend = v as { load?: unknown; save?: unknown; delete?: unknown } | null;
  if (typeof backend === "object" && backend !== null && typeof backend.load === "function" && typeof backend.save === "function" && typeof backend.delete === "function") {
    return undefined;
  }
  return `expected "file", "signed_cookies" or a session backend object with load/save/delete methods (or "cache", "cached_db", "db"), got ${JSON.stringify(v)}`;
};

const isPositiveNumber: Check = (v) => (typeof v === "number" && v >= 0 && Number.isFinite(v) ? undefined : `expected a number of seconds, got ${JSON.stringify(v)}`);

const cacheEntry = shape(
  { BACKEND: oneOf("locmem", "redis", "dummy", "file", "db"), LOCATION: isString, TIMEOUT: nullable(isPositiveNumber), KEY_PREFIX: isString, VERSION: isNonNegativeInteger, OPTIONS: isObject },
  '{ BACKEND: "redis", LOCATION: "redis://127.0.0.1:6379/0", TIMEOUT, KEY_PREFIX, VERSION, OPTIONS }',
);

const healthChecks = shape(
  { LIVENESS_PATH: nullable(isString), READINESS_PATH: nullable(isString), DATABASES: arrayOf(isString), CACHES: arrayOf(isString), TIMEOUT_MS: isNonNegativeInteger },
  '{ LIVENESS_PATH: "/healthz", READINESS_PATH: "/readyz", DATABASES, CACHES, TIMEOUT_MS }',
);

const isCommand: Check = (v) => {
  const command = v as { run?: unknown; help?: unknown } | null;
  return typeof command === "object" && command !== null && typeof command.run === "function" && typeof command.help === "string"
    ? undefined
    : "expected a command object { help: string, run(context) }";
};

/**
 * How the batteries' settings (declared by their own modules through module augmentation)
 * are validated by `defineSettings`, so a typo fails at start-up naming the setting rather
 * than on the first request that renders a template or opens a session. A setting listed
 * nowhere here nor in `SETTINGS_SCHEMA` is refused as unknown (see `knownSettings.ts`), so a
 * battery that reads a new setting adds it here.
 */
export const BATTERY_SETTINGS_SCHEMA: Readonly<Record<string, Check>> = {
  BASE_DIR: isNonEmptyString,
  INSTALLED_APPS: arrayOf(isNonEmptyString),
  TEMPLATES: checkTemplatesSetting,
  SESSION_ENGINE: isSessionEngine,
  MESSAGE_LEVEL: isNonNegativeInteger,
  MESSAGE_TAGS: (v) => {
    const problem = recordOf(isString, "a tag name")(v);
    if (problem !== undefined) return problem;
    const badLevel = Object.keys(v as object).find((key) => !/^\d+$/.test(key));
    return badLevel === undefined ? undefined : `keys must be message levels (numbers such as 40), got ${JSON.stringify(badLevel)}`;
  },
  MESSAGE_STORAGE: oneOf("cookie", "session"),
  TSGI_APPLICATION: (v) =>
    typeof v === "string" && v.length > 0 && !v.endsWith(":") ? undefined : `expected "path/to/module.ts[:exportName]" such as "tsgi.ts:application", got ${JSON.stringify(v)}`,
  COMMANDS: recordOf(isCommand, "a management command"),
  STATICFILES_STORAGE: oneOf("manifest", "plain"),
  DATABASES: checkDatabasesSetting,
  ATOMIC_REQUESTS: isBoolean,
  CACHES: recordOf(cacheEntry, "a cache: { BACKEND, LOCATION, ... }"),
  SESSION_CACHE_ALIAS: isString,
  CACHE_MIDDLEWARE_SECONDS: isNonNegativeInteger,
  CACHE_MIDDLEWARE_KEY_PREFIX: isString,
  CACHE_MIDDLEWARE_ALIAS: isString,
  HEALTH_CHECKS: healthChecks,
  LIFESPAN: checkLifespanSetting,
  LIFESPAN_REQUIRE_DATABASES: checkRequireDatabasesSetting,
  ...AUTH_SETTINGS_SCHEMA,
  CUSTOM_SETTINGS: arrayOf(isNonEmptyString),
};
