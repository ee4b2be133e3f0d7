import { currentlyApplied } from "../../db/migrations/executor.js";
import { migrationKey } from "../../db/migrations/planner.js";
import { loadMigrationProject } from "../../db/migrations/project.js";
import { CommandError } from "../command.js";
import { databaseCommand } from "../databaseCommand.js";

/**
 * `manage showmigrations [app ...] [--database ALIAS] [--plan]`: each app's migrations, `[X]`
 * applied, `[ ]` pending; `--plan` lists every migration in the order `migrate` applies them.
 *
 * @example
 * manage showmigrations polls   // polls\n [X] 0001_initial\n [ ] 0002_question_slug
 */
export const showmigrationsCommand = databaseCommand({
  help: "Lists each app's migrations, [X] when applied: [app ...] [--database ALIAS] [--plan].",
  flags: ["plan"],
  async run({ positionals, flags, using, settings, stdout }) {
    const { apps, graph } = await loadMigrationProject(settings);
    const unknown = positionals.find((label) => !apps.some((app) => app.label === label));
    if (unknown !== undefined) throw new CommandError(`No installed app with label '${unknown}'.`);
    const applied = await currentlyApplied(using);
    const mark = (key: string): string => (applied.has(key) ? "X" : " ");
    if (flags.has("plan")) {
      const plan = graph.plan().filter((migration) => positionals.length === 0 || positionals.includes(migration.app));
      if (plan.length === 0) stdout("(no migrations)");
      for (const migration of plan) stdout(`[${mark(migrationKey(migration))}]  ${migrationKey(migration)}`);
      return 0;
    }
    for (const app of apps) {
      if (positionals.length > 0 && !positionals.includes(app.label)) continue;
      stdout(app.label);
      const migrations = graph.ofApp(app.label);
      if (migrations.length === 0) stdout(" (no migrations)");
      for (const migration of migrations) stdout(` [${mark(migrationKey(migration))}] ${migration.name}`);
    }
    return 0;
  },
});
