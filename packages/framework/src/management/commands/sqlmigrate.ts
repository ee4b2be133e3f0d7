import { connections } from "../../db/connections.js";
import { DatabaseError, MigrationError } from "../../db/errors.js";
import { migrationSql } from "../../db/migrations/executor.js";
import { loadMigrationProject } from "../../db/migrations/project.js";
import { CommandError, type ManagementCommand } from "../command.js";

/** `manage sqlmigrate app name`: prints the SQL of a migration for the configured database. */
export const sqlmigrateCommand: ManagementCommand = {
  help: "Prints the SQL a migration runs: <app> <migration name or number> [--database ALIAS].",
  async run({ args, settings, stdout }) {
    const dbIndex = args.indexOf("--database");
    const using = dbIndex >= 0 ? (args[dbIndex + 1] ?? "default") : "default";
    const [app, wanted] = args.filter((arg, index) => !arg.startsWith("--") && (dbIndex < 0 || index !== dbIndex + 1));
    if (app === undefined || wanted === undefined) throw new CommandError("Usage: sqlmigrate <app> <migration>, e.g. sqlmigrate polls 0001");
    try {
      const { graph } = await loadMigrationProject(settings);
      const matches = graph.ofApp(app).filter((m) => m.name === wanted || m.name.startsWith(wanted));
      if (matches.length !== 1) {
        throw new CommandError(matches.length === 0 ? `Cannot find a migration matching '${wanted}' from app '${app}'.` : `More than one migration matches '${wanted}' in app '${app}'. Please be more specific.`);
      }
      stdout("BEGIN;");
      for (const line of migrationSql(graph, app, (matches[0] as { name: string }).name, using)) stdout(line);
      stdout("COMMIT;");
      return 0;
    } catch (error) {
      if (error instanceof MigrationError || error instanceof DatabaseError) throw new CommandError(error.message);
      throw error;
    } finally {
      await connections.closeAll();
    }
  },
};
