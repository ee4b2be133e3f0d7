import { spawn } from "node:child_process";
import { databaseSettings } from "../../db/settings.js";
import { CommandError, type ManagementCommand } from "../command.js";

/**
 * The database's own client for `settings` (Django's `dbshell`): `sqlite3 FILE` or `psql` with the
 * connection in PG* variables (the password never on the command line).
 *
 * @example
 * clientCommand({ ENGINE: "sqlite", NAME: "/srv/site/db.sqlite3" }); // { program: "sqlite3", args: ["/srv/site/db.sqlite3"], env: {} }
 */
export function clientCommand(config: ReturnType<typeof databaseSettings>): { program: string; args: string[]; env: Record<string, string> } {
  if (config.ENGINE === "sqlite") return { program: "sqlite3", args: [config.NAME], env: {} };
  const env: Record<string, string> = { PGDATABASE: config.NAME };
  if (config.USER !== undefined) env.PGUSER = config.USER;
  if (config.PASSWORD !== undefined) env.PGPASSWORD = config.PASSWORD;
  if (config.HOST !== undefined) env.PGHOST = config.HOST;
  if (config.PORT !== undefined) env.PGPORT = String(config.PORT);
  return { program: "psql", args: [], env };
}

/** `manage dbshell [--database ALIAS] [-- client arguments]` */
export const dbshellCommand: ManagementCommand = {
  help: "Runs the database's command-line client (sqlite3 or psql): [--database ALIAS] [-- client arguments].",
  async run({ args, settings, stdout, stderr }) {
    const separator = args.indexOf("--");
    const own = separator >= 0 ? args.slice(0, separator) : args;
    const extra = separator >= 0 ? args.slice(separator + 1) : [];
    const dbIndex = own.indexOf("--database");
    const alias = dbIndex >= 0 ? own[dbIndex + 1] : "default";
    if (alias === undefined) throw new CommandError("--database needs an alias from DATABASES, e.g. --database default");
    let config;
    try {
      config = databaseSettings(settings, alias);
    } catch (error) {
      throw new CommandError(error instanceof Error ? error.message : String(error));
    }
    const { program, args: clientArgs, env } = clientCommand(config);
    // With arguments the client runs non-interactively and its output goes through this command's streams.
    const interactive = extra.length === 0;
    const child = spawn(program, [...clientArgs, ...extra], { env: { ...process.env, ...env }, stdio: interactive ? "inherit" : ["ignore", "pipe", "pipe"] });
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => chunk.replace(/\n$/, "").split("\n").forEach((line) => stdout(line)));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => chunk.replace(/\n$/, "").split("\n").forEach((line) => stderr(line)));
    return new Promise<number>((resolve, reject) => {
      child.once("error", (error: NodeJS.ErrnoException) => {
        reject(
          error.code === "ENOENT"
            ? new CommandError(`You appear not to have the '${program}' program installed or on your path (Debian: apt-get install ${program === "psql" ? "postgresql-client" : "sqlite3"}).`)
            : error,
        );
      });
      child.once("close", (code) => resolve(code ?? 1));
    });
  },
};
