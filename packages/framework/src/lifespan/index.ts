export { ApplicationLifespan } from "./applicationLifespan.js";
export { LifespanHookError } from "./errors.js";
export { loadHooks, type NamedHook } from "./loadHooks.js";
export { openDatabases, type WarningSink } from "./openDatabases.js";
export { checkLifespanSetting, checkRequireDatabasesSetting, type LifespanTarget } from "./settings.js";
export type { LifespanCleanup, LifespanContext, LifespanHook, LifespanPhase } from "./types.js";
