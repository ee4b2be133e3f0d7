import type { Hooks } from "../hooks/hooks.js";
import type { Settings } from "./settings.js";

// Apart from settings.ts, because the hooks take the settings: settings.ts -> hooks.ts -> settings.ts was a cycle.

/** Settings plus the hooks a JS/TS config file may define (hooks cannot come from the CLI or JSON). */
export interface ResolvedConfig {
  settings: Settings;
  hooks: Hooks;
}

/** What a config file exports: any subset of the settings, plus hooks. */
export type ConfigFile = Partial<Omit<Settings, "config" | "checkConfig" | "printConfig">> & Hooks;

/**
 * Types a config file's default export.
 *
 * @example
 * // tsgi.config.ts
 * export default defineConfig({ workers: 4, bind: ["0.0.0.0:8000"], whenReady: (arbiter) => arbiter.log.info("up") });
 */
export function defineConfig(config: ConfigFile): ConfigFile {
  return config;
}
