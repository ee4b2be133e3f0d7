import { existsSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { defineSettings } from "../settings/defineSettings.js";
import type { Settings, SettingsInput } from "../settings/types.js";
import { CommandError, isManagementCommand, type ManagementCommand } from "./command.js";
import { errorMessage } from "tsgi/helpers";

/** A loaded project: its settings and where they came from. */
export interface Project {
  settings: Settings;
  projectDir: string;
  settingsPath?: string;
  /** Commands the settings module (e.g. `manage.ts`) exports as `commands`. */
  commands?: Readonly<Record<string, ManagementCommand>>;
}

/** Where the CLI looks for settings when neither `--settings` nor TSGI_SETTINGS_MODULE says (in this order). */
export const DEFAULT_SETTINGS_FILES = ["manage.ts", "settings.ts", "src/settings.ts", "manage.js", "settings.js", "src/settings.js"];

/**
 * Finds the settings module: the `--settings` path, else the TSGI_SETTINGS_MODULE environment
 * variable (Django's DJANGO_SETTINGS_MODULE), else `manage.ts` (a module exporting `settings` and
 * optionally `commands`), `settings.ts` or `src/settings.ts` in `cwd`.
 *
 * @example
 * findSettingsFile(undefined, process.env, process.cwd()); // "/srv/site/settings.ts"
 */
export function findSettingsFile(option: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  const given = option ?? env.TSGI_SETTINGS_MODULE;
  if (given !== undefined && given !== "") {
    const file = isAbsolute(given) ? given : resolve(cwd, given);
    if (!existsSync(file)) throw new CommandError(`Settings module ${file} does not exist (from ${option !== undefined ? "--settings" : "TSGI_SETTINGS_MODULE"}).`);
    return file;
  }
  for (const candidate of DEFAULT_SETTINGS_FILES) {
    const file = resolve(cwd, candidate);
    if (existsSync(file)) return file;
  }
  throw new CommandError(
    `No settings module found in ${cwd}: pass --settings path/to/settings.ts, set TSGI_SETTINGS_MODULE, or create settings.ts exporting \`settings = defineSettings({...})\`.`,
  );
}

/**
 * Imports a settings module and validates what it exports (`settings`, or the default export).
 * Relative paths in settings resolve as the running app resolves them (BASE_DIR, else the working directory).
 *
 * @example
 * const { settings } = await loadSettingsFile("/srv/site/settings.ts");
 */
export async function loadSettingsFile(file: string): Promise<Project> {
  let namespace: Record<string, unknown>;
  try {
    namespace = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof Error && error.name === "SettingsError") throw new CommandError(error.message);
    const message = errorMessage(error);
    // tsx loads .ts as CommonJS outside a "type": "module" package, which breaks ESM imports.
    const hint = /require\(\) ES Module|Cannot use import statement/.test(message)
      ? ' Add "type": "module" to the project\'s package.json.'
      : // tsgi-manage registers tsx; a program calling executeFromCommandLine itself may not have.
        (error as { code?: unknown } | null)?.code === "ERR_UNKNOWN_FILE_EXTENSION"
        ? " Run this program with tsx (node --import tsx) to load TypeScript settings, or use tsgi-manage."
        : "";
    throw new CommandError(`Cannot load settings module ${file}: ${message}${hint}`);
  }
  const exported = namespace.settings ?? namespace.default;
  if (typeof exported !== "object" || exported === null) {
    throw new CommandError(`${file} must export \`settings\` (or a default export) made with defineSettings({...}).`);
  }
  const projectDir = dirname(file);
  const input = exported as SettingsInput;
  let settings: Settings;
  try {
    // Validates settings exported as a plain object too; for defineSettings output it is a cheap re-check.
    settings = defineSettings(input);
  } catch (error) {
    throw new CommandError(errorMessage(error));
  }
  const project: Project = { settings, projectDir, settingsPath: file };
  const commands = namespace.commands;
  if (commands !== undefined) {
    if (typeof commands !== "object" || commands === null || !Object.values(commands).every(isManagementCommand)) {
      throw new CommandError(`${file} exports \`commands\`, but it is not an object of { help, run() } commands.`);
    }
    project.commands = commands as Record<string, ManagementCommand>;
  }
  return project;
}

/**
 * The application TARGET (`module[:export]`) for tsgi-dev and tsgi-worker, as an absolute module path.
 *
 * @example
 * applicationTarget(project); // "/srv/site/tsgi.ts:application"
 */
export function applicationTarget(project: Project): string {
  const target = project.settings.TSGI_APPLICATION ?? "tsgi.ts:application";
  const colon = target.lastIndexOf(":");
  // A Windows drive letter ("C:\...") is not an export separator.
  const hasExport = colon > 1;
  const modulePath = hasExport ? target.slice(0, colon) : target;
  const exportName = hasExport ? target.slice(colon) : "";
  const absolute = isAbsolute(modulePath) ? modulePath : resolve(project.projectDir, modulePath);
  if (!existsSync(absolute)) {
    throw new CommandError(`The application module ${absolute} does not exist: create it (export const application = getTsgiApplication(settings)) or set TSGI_APPLICATION.`);
  }
  return absolute + exportName;
}
