import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Settings } from "../settings/types.js";
import { CommandError, isManagementCommand, type ManagementCommand } from "./command.js";
import { checkCommand } from "./commands/check.js";
import { clearsessionsCommand } from "./commands/clearsessions.js";
import { collectstaticCommand } from "./commands/collectstatic.js";
import { createcachetableCommand } from "./commands/createcachetable.js";
import { dbshellCommand } from "./commands/dbshell.js";
import { makemigrationsCommand } from "./commands/makemigrations.js";
import { migrateCommand } from "./commands/migrate.js";
import { runserverCommand } from "./commands/runserver.js";
import { serveCommand } from "./commands/serve.js";
import { showmigrationsCommand } from "./commands/showmigrations.js";
import { sqlmigrateCommand } from "./commands/sqlmigrate.js";
import { urlsCommand } from "./commands/urls.js";
import { changepasswordCommand, createsuperuserCommand } from "../contrib/auth/commands.js";
import { errorMessage } from "tsgi/helpers";

/** The commands every project has. */
export const BUILTIN_COMMANDS: Readonly<Record<string, ManagementCommand>> = {
  changepassword: changepasswordCommand,
  check: checkCommand,
  clearsessions: clearsessionsCommand,
  collectstatic: collectstaticCommand,
  createcachetable: createcachetableCommand,
  dbshell: dbshellCommand,
  createsuperuser: createsuperuserCommand,
  makemigrations: makemigrationsCommand,
  migrate: migrateCommand,
  runserver: runserverCommand,
  serve: serveCommand,
  showmigrations: showmigrationsCommand,
  sqlmigrate: sqlmigrateCommand,
  urls: urlsCommand,
};

const COMMAND_FILE = /^([a-z][a-z0-9_-]*)\.(ts|mts|js|mjs)$/;

/**
 * The project's own commands: the `COMMANDS` setting, then each `commands/<name>.ts` next to
 * the settings module exporting `command` (or a default export) with `help` and `run`.
 * A project command may replace a built-in one, as in Django.
 *
 * @example
 * const commands = await projectCommands(settings, "/srv/site");
 */
export async function projectCommands(settings: Settings, projectDir: string): Promise<Record<string, ManagementCommand>> {
  const commands: Record<string, ManagementCommand> = { ...(settings.COMMANDS ?? {}) };
  const dir = join(projectDir, "commands");
  const files = await readdir(dir).catch(() => [] as string[]);
  for (const file of files.sort()) {
    const match = COMMAND_FILE.exec(file);
    if (!match || file.endsWith(".d.ts") || /\.test\./.test(file)) continue;
    const name = match[1] as string;
    let namespace: Record<string, unknown>;
    try {
      namespace = (await import(pathToFileURL(join(dir, file)).href)) as Record<string, unknown>;
    } catch (error) {
      throw new CommandError(`Cannot load command ${join(dir, file)}: ${errorMessage(error)}`);
    }
    const exported = namespace.command ?? namespace.default;
    if (!isManagementCommand(exported)) {
      throw new CommandError(`${join(dir, file)} must export \`command\` (or a default export) with help and run().`);
    }
    commands[name] ??= exported;
  }
  return commands;
}
