import { defineSettings } from "../settings/defineSettings.js";
import type { Settings, SettingsInput } from "../settings/types.js";

/**
 * A copy of the settings with some values replaced, validated again (Django's
 * `override_settings`). Settings here are frozen objects passed to the application, so
 * instead of patching a global, build the application under test from the copy.
 *
 * @example
 * const app = getTsgiApplication(overrideSettings(settings, { DEBUG: true, EMAIL_BACKEND: "locmem" }));
 */
export function overrideSettings<S extends Settings>(settings: S, overrides: Partial<Settings> & Record<string, unknown>): Settings {
  return defineSettings({ ...settings, ...overrides } as SettingsInput);
}
