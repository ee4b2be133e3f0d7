import { relative } from "node:path";
import { connections } from "../../db/connections.js";
import { MigrationError } from "../../db/errors.js";
import { planMigrations, writeMigrations } from "../../db/migrations/makeMigrations.js";
import { loadMigrationProject } from "../../db/migrations/project.js";
import { CommandError, type ManagementCommand } from "../command.js";

/** `manage makemigrations [app ...] [--name NAME] [--empty] [--dry-run] [--check]` */
export const makemigrationsCommand: ManagementCommand = {
  help: "Writes new migrations for model changes: [app ...] [--name NAME] [--empty] [--dry-run] [--check].",
  async run({ args, settings, projectDir, stdout }) {
    const flags = new Set(args.filter((arg) => arg.startsWith("--") && !arg.startsWith("--name")));
    const nameIndex = args.indexOf("--name");
    const name = nameIndex >= 0 ? args[nameIndex + 1] : args.find((arg) => arg.startsWith("--name="))?.slice("--name=".length);
    if (nameIndex >= 0 && (name === undefined || !/^\w+$/.test(name))) throw new CommandError("--name needs a name of letters, digits and _, e.g. --name add_slug");
    const only = args.filter((arg, index) => !arg.startsWith("--") && (nameIndex < 0 || index !== nameIndex + 1));
    const unknown = [...flags].filter((flag) => !["--empty", "--dry-run", "--check"].includes(flag));
    if (unknown.length > 0) throw new CommandError(`Unknown option ${unknown[0]}; expected --name, --empty, --dry-run or --check.`);
    if (flags.has("--empty") && only.length === 0) throw new CommandError("--empty needs the app to make it for, e.g. makemigrations --empty polls");
    try {
      const { apps, graph } = await loadMigrationProject(settings);
      const planned = planMigrations(apps, graph, { only, ...(name !== undefined && { name }), empty: flags.has("--empty") });
      if (planned.length === 0) {
        stdout(only.length > 0 ? `No changes detected in app${only.length > 1 ? "s" : ""} '${only.join("', '")}'` : "No changes detected");
        return 0;
      }
      for (const migration of planned) {
        stdout(`Migrations for '${migration.app}':`);
        stdout(`  ${relative(projectDir, migration.file)}`);
        for (const operation of migration.migration.operations) stdout(`    - ${describeOperation(operation)}`);
      }
      if (flags.has("--check")) return 1;
      if (!flags.has("--dry-run")) await writeMigrations(planned);
      return 0;
    } catch (error) {
      if (error instanceof MigrationError) throw new CommandError(error.message);
      throw error;
    } finally {
      await connections.closeAll();
    }
  },
};

/** One line per operation, as Django prints them. */
export function describeOperation(operation: { type: string; name?: string; model?: string; index?: { name: string } }): string {
  switch (operation.type) {
    case "CreateModel":
      return `Create model ${operation.name}`;
    case "DeleteModel":
      return `Delete model ${operation.name}`;
    case "AddField":
      return `Add field ${operation.name} to ${operation.model?.toLowerCase()}`;
    case "RemoveField":
      return `Remove field ${operation.name} from ${operation.model?.toLowerCase()}`;
    case "AlterField":
      return `Alter field ${operation.name} on ${operation.model?.toLowerCase()}`;
    case "AddIndex":
      return `Create index ${operation.index?.name} on ${operation.model?.toLowerCase()}`;
    case "RemoveIndex":
      return `Remove index ${operation.name} from ${operation.model?.toLowerCase()}`;
    default:
      return operation.type;
  }
}
