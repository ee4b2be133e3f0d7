import { closest } from "../templates/django/didYouMean.js";
import { BATTERY_SETTINGS_SCHEMA } from "./batterySchema.js";
import { SETTINGS_SCHEMA } from "./schema.js";

/** The setting through which a project declares its own setting names. */
export const CUSTOM_SETTINGS_KEY = "CUSTOM_SETTINGS";

/**
 * Every top-level setting name the framework reads: the core schema, the batteries'
 * (templates, sessions, messages, databases, caches, health, auth, mail, management) and
 * `CUSTOM_SETTINGS` itself. Anything else must be declared in `CUSTOM_SETTINGS`.
 */
export const KNOWN_SETTING_NAMES: ReadonlySet<string> = new Set([...Object.keys(SETTINGS_SCHEMA), ...Object.keys(BATTERY_SETTINGS_SCHEMA), CUSTOM_SETTINGS_KEY]);

/** A setting name nobody declared, with the closest known name when one is near. */
export interface UnknownSetting {
  name: string;
  suggestion?: string;
}

/**
 * The top-level names in `settings` that neither the framework nor the project's
 * `CUSTOM_SETTINGS` declares, each with a "did you mean" guess (edit distance against the
 * known and declared names). Django silently ignores such a name; here `MIDDLEWARES`
 * would run the site with no middleware at all, so it is refused.
 *
 * @example
 * findUnknownSettings({ SECRET_KEY: "k", MIDDLEWARES: [] }); // [{ name: "MIDDLEWARES", suggestion: "MIDDLEWARE" }]
 */
export function findUnknownSettings(settings: object): UnknownSetting[] {
  const declared: unknown = (settings as Record<string, unknown>)[CUSTOM_SETTINGS_KEY];
  const custom = Array.isArray(declared) ? declared.filter((name): name is string => typeof name === "string") : [];
  const allowed = new Set([...KNOWN_SETTING_NAMES, ...custom]);
  const unknown: UnknownSetting[] = [];
  for (const name of Object.keys(settings)) {
    if (allowed.has(name)) continue;
    const suggestion = closest(name, allowed);
    unknown.push(suggestion === undefined ? { name } : { name, suggestion });
  }
  return unknown;
}

/**
 * The message for one unknown setting, naming the fix.
 *
 * @example
 * describeUnknownSetting({ name: "TEMPLATE", suggestion: "TEMPLATES" });
 * // 'TEMPLATE: unknown setting, did you mean "TEMPLATES"? (a project\'s own setting must be declared: CUSTOM_SETTINGS: ["TEMPLATE"])'
 */
export function describeUnknownSetting({ name, suggestion }: UnknownSetting): string {
  const guess = suggestion === undefined ? "" : `, did you mean ${JSON.stringify(suggestion)}?`;
  return `${name}: unknown setting${guess} (a project's own setting must be declared: ${CUSTOM_SETTINGS_KEY}: [${JSON.stringify(name)}])`;
}
