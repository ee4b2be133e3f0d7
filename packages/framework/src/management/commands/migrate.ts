import { connections } from "../../db/connections.js";
import { DatabaseError, MigrationError } from "../../db/errors.js";
import { applyMigrations } from "../../db/migrations/executor.js";
import { loadMigrationProject } from "../../db/migrations/project.js";
import { CommandError, type ManagementCommand } from "../command.js";

/** `manage migrate [app] [--database ALIAS]` */
export const migrateCommand: ManagementCommand = {
  help: "Applies unapplied migrations, each in a transaction: [app] [--database ALIAS].",
  async run({ args, settings, stdout }) {
    const dbIndex = args.indexOf("--database");
    const using = dbIndex >= 0 ? args[dbIndex + 1] : "default";
    if (using === undefined) throw new CommandError("--database needs an alias from DATABASES, e.g. --database default");
    const positional = args.filter((arg, index) => !arg.startsWith("--") && (dbIndex < 0 || index !== dbIndex + 1));
    if (positional.length > 1) throw new CommandError("migrate takes at most one app label (migrating backwards to a named migration is not supported).");
    try {
      const { apps, graph } = await loadMigrationProject(settings);
      const app = positional[0];
      if (app !== undefined && !apps.some((a) => a.label === app)) throw new CommandError(`App '${app}' does not have migrations (is it in INSTALLED_APPS?).`);
      stdout("Operations to perform:");
      stdout(app === undefined ? `  Apply all migrations: ${apps.filter((a) => graph.ofApp(a.label).length > 0).map((a) => a.label).join(", ") || "(none)"}` : `  Apply all migrations: ${app}`);
      stdout("Running migrations:");
      const applied = await applyMigrations(graph, { using, ...(app !== undefined && { app }), log: stdout });
      if (applied.length === 0) stdout("  No migrations to apply.");
      return 0;
    } catch (error) {
      if (error instanceof MigrationError || error instanceof DatabaseError) throw new CommandError(error.message);
      throw error;
    } finally {
      await connections.closeAll();
    }
  },
};
