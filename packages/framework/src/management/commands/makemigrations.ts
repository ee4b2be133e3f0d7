import { relative } from "node:path";
import { describeOperation } from "../../db/migrations/describe.js";
import { planMigrations, writeMigrations } from "../../db/migrations/makeMigrations.js";
import { loadMigrationProject } from "../../db/migrations/project.js";
import { CommandError } from "../command.js";
import { databaseCommand } from "../databaseCommand.js";

export { describeOperation };

/**
 * `manage makemigrations [app ...] [--name NAME] [--empty] [--dry-run] [--check]`: writes a
 * migration per app whose models changed since its last migration.
 *
 * @example
 * manage makemigrations polls --name add_slug
 */
export const makemigrationsCommand = databaseCommand({
  help: "Writes new migrations for model changes: [app ...] [--name NAME] [--empty] [--dry-run] [--check].",
  flags: ["empty", "dry-run", "check"],
  values: ["name"],
  async run({ positionals: only, flags, values, settings, projectDir, stdout }) {
    const name = values.get("name");
    if (name !== undefined && !/^\w+$/.test(name)) throw new CommandError("--name needs a name of letters, digits and _, e.g. --name add_slug");
    if (flags.has("empty") && only.length === 0) throw new CommandError("--empty needs the app to make it for, e.g. makemigrations --empty polls");
    const { apps, graph } = await loadMigrationProject(settings);
    const planned = planMigrations(apps, graph, { only: [...only], ...(name !== undefined && { name }), empty: flags.has("empty") });
    if (planned.length === 0) {
      stdout(only.length > 0 ? `No changes detected in app${only.length > 1 ? "s" : ""} '${only.join("', '")}'` : "No changes detected");
      return 0;
    }
    for (const migration of planned) {
      stdout(`Migrations for '${migration.app}':`);
      stdout(`  ${relative(projectDir, migration.file)}`);
      for (const operation of migration.migration.operations) stdout(`    - ${describeOperation(operation)}`);
    }
    if (flags.has("check")) return 1;
    if (!flags.has("dry-run")) await writeMigrations(planned);
    return 0;
  },
});
