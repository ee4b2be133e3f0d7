import { connections } from "../../db/connections.js";
import { DatabaseError, MigrationError } from "../../db/errors.js";
import { loadMigrationProject } from "../../db/migrations/project.js";
import { appliedMigrations } from "../../db/migrations/recorder.js";
import { CommandError, type ManagementCommand } from "../command.js";

/** `manage showmigrations [app ...]`: `[X]` applied, `[ ]` pending. */
export const showmigrationsCommand: ManagementCommand = {
  help: "Lists each app's migrations, [X] when applied: [app ...] [--database ALIAS].",
  async run({ args, settings, stdout }) {
    const dbIndex = args.indexOf("--database");
    const using = dbIndex >= 0 ? (args[dbIndex + 1] ?? "default") : "default";
    const only = args.filter((arg, index) => !arg.startsWith("--") && (dbIndex < 0 || index !== dbIndex + 1));
    try {
      const { apps, graph } = await loadMigrationProject(settings);
      const db = connections.get(using);
      const applied = await appliedMigrations(db.kysely, db.vendor);
      for (const app of apps) {
        if (only.length > 0 && !only.includes(app.label)) continue;
        stdout(app.label);
        const migrations = graph.ofApp(app.label);
        if (migrations.length === 0) stdout(" (no migrations)");
        for (const migration of migrations) stdout(` [${applied.has(`${app.label}.${migration.name}`) ? "X" : " "}] ${migration.name}`);
      }
      return 0;
    } catch (error) {
      if (error instanceof MigrationError || error instanceof DatabaseError) throw new CommandError(error.message);
      throw error;
    } finally {
      await connections.closeAll();
    }
  },
};
