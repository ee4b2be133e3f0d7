export type { Settings, SettingsInput, SameSiteSetting } from "./types.js";
export { DEFAULT_SETTINGS } from "./defaults.js";
export { defineSettings, isSettings, SettingsError, type DefinedSettings } from "./defineSettings.js";
export { findUnknownSettings, KNOWN_SETTING_NAMES, type UnknownSetting } from "./knownSettings.js";
