import { migrationSql } from "../../db/migrations/migrationSql.js";
import { resolveMigration } from "../../db/migrations/planner.js";
import { loadMigrationProject } from "../../db/migrations/project.js";
import { CommandError } from "../command.js";
import { databaseCommand } from "../databaseCommand.js";

/**
 * `manage sqlmigrate <app> <migration> [--database ALIAS] [--backwards]`: the SQL a migration runs
 * for the configured database, or with `--backwards` the SQL that unapplies it.
 *
 * @example
 * manage sqlmigrate polls 0002 --backwards
 */
export const sqlmigrateCommand = databaseCommand({
  help: "Prints the SQL a migration runs: <app> <migration name or number> [--database ALIAS] [--backwards].",
  flags: ["backwards"],
  async run({ positionals, flags, using, settings, stdout }) {
    const [app, wanted] = positionals;
    if (app === undefined || wanted === undefined || positionals.length > 2) throw new CommandError("Usage: sqlmigrate <app> <migration>, e.g. sqlmigrate polls 0001");
    const { apps, graph } = await loadMigrationProject(settings);
    if (!apps.some((a) => a.label === app) || graph.ofApp(app).length === 0) throw new CommandError(`App '${app}' does not have migrations (is it in INSTALLED_APPS?).`);
    const migration = resolveMigration(graph, app, wanted);
    const lines = migrationSql(graph, app, migration.name, using, { backwards: flags.has("backwards") });
    const atomic = migration.migration.atomic !== false;
    if (atomic) stdout("BEGIN;");
    for (const line of lines) stdout(line);
    if (atomic) stdout("COMMIT;");
    return 0;
  },
});
