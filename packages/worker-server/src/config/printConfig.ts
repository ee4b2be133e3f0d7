import { OPTIONS } from "./options.js";
import type { ResolvedConfig } from "./resolvedConfig.js";

/**
 * The resolved configuration as `--print-config` shows it: one `key = value` line per
 * setting (values as JSON), sorted, as Gunicorn prints its settings; then the hooks defined.
 *
 * @example
 * process.stdout.write(formatConfig(await resolveConfig(sources)));
 */
export function formatConfig(config: ResolvedConfig): string {
  const keys = OPTIONS.map((option) => option.key).filter((key) => key !== "printConfig" && key !== "checkConfig");
  const lines = [...keys].sort().map((key) => `${key.padEnd(22)} = ${JSON.stringify(config.settings[key])}`);
  lines.push(`${"hooks".padEnd(22)} = ${JSON.stringify(Object.keys(config.hooks).sort())}`);
  return lines.join("\n") + "\n";
}
