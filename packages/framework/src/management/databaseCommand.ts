import { connections } from "../db/connections.js";
import { ConnectionDoesNotExist, DatabaseError, MigrationError } from "../db/errors.js";
import { databaseSettings } from "../db/settings.js";
import { CommandError, type CommandContext, type ManagementCommand } from "./command.js";

/** What a {@link databaseCommand} is given besides the {@link CommandContext}: its parsed arguments. */
export interface DatabaseCommandContext extends CommandContext {
  /** The `--database` alias (`"default"` unless given). */
  readonly using: string;
  /** The arguments that are not options, in order. */
  readonly positionals: readonly string[];
  /** The boolean options given, without dashes (`plan`). */
  readonly flags: ReadonlySet<string>;
  /** The options given with a value, without dashes (`name` -> `add_slug`). */
  readonly values: ReadonlyMap<string, string>;
}

/** How a {@link databaseCommand} is declared. */
export interface DatabaseCommandSpec {
  readonly help: string;
  /** Boolean options, without dashes (`["plan"]` for `--plan`). */
  readonly flags?: readonly string[];
  /** Options taking a value (`--name NAME` or `--name=NAME`), without dashes; `database` is always there. */
  readonly values?: readonly string[];
  run(context: DatabaseCommandContext): number | void | Promise<number | void>;
}

/**
 * A management command working on the models' databases (`migrate`, `showmigrations`,
 * `sqlmigrate`, `makemigrations`): parses `--database ALIAS` (checked against DATABASES) and the
 * declared options, refuses unknown ones, turns `MigrationError` and `DatabaseError` into a
 * `CommandError` (one clean line, exit status 1) and closes every connection afterwards.
 *
 * @example
 * export const showmigrationsCommand = databaseCommand({
 *   help: "Lists migrations: [app ...] [--database ALIAS].",
 *   async run({ positionals, using, stdout }) { ... },
 * });
 */
export function databaseCommand(spec: DatabaseCommandSpec): ManagementCommand {
  return {
    help: spec.help,
    async run(context) {
      const parsed = parseOptions(context.args, spec.flags ?? [], ["database", ...(spec.values ?? [])]);
      const using = parsed.values.get("database") ?? "default";
      try {
        databaseSettings(context.settings, using);
      } catch (error) {
        if (error instanceof ConnectionDoesNotExist) throw new CommandError(error.message);
        throw error;
      }
      try {
        return await spec.run({ ...context, using, ...parsed });
      } catch (error) {
        if (error instanceof MigrationError || error instanceof DatabaseError) throw new CommandError(error.message);
        throw error;
      } finally {
        await connections.closeAll();
      }
    },
  };
}

/** `--flag`, `--name value`, `--name=value` and positionals; anything after `--` is positional. */
function parseOptions(args: readonly string[], flags: readonly string[], valued: readonly string[]): Pick<DatabaseCommandContext, "positionals" | "flags" | "values"> {
  const positionals: string[] = [];
  const given = new Set<string>();
  const values = new Map<string, string>();
  const expected = [...valued.map((name) => `--${name} ${name.toUpperCase()}`), ...flags.map((name) => `--${name}`)].join(", ");
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string;
    if (arg === "--") {
      positionals.push(...args.slice(index + 1));
      break;
    }
    if (!arg.startsWith("--")) {
      positionals.push(arg);
      continue;
    }
    const equals = arg.indexOf("=");
    const name = arg.slice(2, equals < 0 ? undefined : equals);
    if (valued.includes(name)) {
      const value = equals < 0 ? args[++index] : arg.slice(equals + 1);
      if (value === undefined || value === "" || value.startsWith("--")) {
        throw new CommandError(name === "database" ? "--database needs an alias from DATABASES, e.g. --database default" : `--${name} needs a value, e.g. --${name} ${name.toUpperCase()}`);
      }
      values.set(name, value);
    } else if (flags.includes(name) && equals < 0) {
      given.add(name);
    } else {
      throw new CommandError(`Unknown option ${arg}; expected ${expected}.`);
    }
  }
  return { positionals, flags: given, values };
}
