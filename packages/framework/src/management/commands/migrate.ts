import { describePlannedOperation } from "../../db/migrations/describe.js";
import { currentlyApplied, executePlan } from "../../db/migrations/executor.js";
import { migrationKey, migrationPlan, resolveMigration, type MigrationTarget, type PlanStep } from "../../db/migrations/planner.js";
import { loadMigrationProject } from "../../db/migrations/project.js";
import { CommandError } from "../command.js";
import { databaseCommand } from "../databaseCommand.js";

/**
 * `manage migrate [app [migration | zero]] [--database ALIAS] [--plan] [--check] [--fake]`, as Django's:
 * without a migration, applies what is pending; with one (a name or its prefix, `0001`), migrates
 * the app forwards or backwards to it (later migrations of the app, and what depends on them in
 * any app, are unapplied); `zero` unapplies all of the app's migrations. `--plan` prints what
 * would run; `--check` exits with 1 when something would run, changing nothing; `--fake` only records
 * the migrations as applied or unapplied (for a schema changed by hand), running none of their SQL.
 *
 * @example
 * manage migrate polls 0001   // Unapplying polls.0002_question_slug... OK
 */
export const migrateCommand = databaseCommand({
  help: "Applies migrations, or migrates an app forwards/backwards to one: [app [migration|zero]] [--database ALIAS] [--plan] [--check] [--fake].",
  flags: ["plan", "check", "fake"],
  async run({ positionals, flags, using, settings, stdout }) {
    if (positionals.length > 2) throw new CommandError("migrate takes an app label and a migration name at most, e.g. migrate polls 0001 (or migrate polls zero).");
    const [app, name] = positionals;
    const { apps, graph } = await loadMigrationProject(settings);
    if (app !== undefined && (!apps.some((a) => a.label === app) || graph.ofApp(app).length === 0)) throw new CommandError(`App '${app}' does not have migrations (is it in INSTALLED_APPS?).`);
    let targets: MigrationTarget[];
    if (app === undefined) targets = apps.flatMap((a) => leafTarget(graph.leaf(a.label)));
    else if (name === undefined) targets = leafTarget(graph.leaf(app));
    else targets = [{ app, name: name === "zero" ? null : resolveMigration(graph, app, name).name }];
    const plan = migrationPlan(graph, await currentlyApplied(using), targets);
    if (flags.has("plan")) {
      printPlan(plan, stdout);
      return flags.has("check") && plan.length > 0 ? 1 : 0;
    }
    if (flags.has("check")) return plan.length > 0 ? 1 : 0;
    stdout("Operations to perform:");
    if (app === undefined || name === undefined) stdout(`  Apply all migrations: ${app ?? (apps.filter((a) => graph.ofApp(a.label).length > 0).map((a) => a.label).join(", ") || "(none)")}`);
    else if (targets[0]?.name === null) stdout(`  Unapply all migrations: ${app}`);
    else stdout(`  Target specific migration: ${targets[0]?.name}, from ${app}`);
    stdout("Running migrations:");
    const done = await executePlan(graph, plan, { using, log: stdout, fake: flags.has("fake") });
    if (done.length === 0) stdout("  No migrations to apply.");
    return 0;
  },
});

function leafTarget(leaf: { app: string; name: string } | undefined): MigrationTarget[] {
  return leaf === undefined ? [] : [{ app: leaf.app, name: leaf.name }];
}

/** Django's `migrate --plan`: each migration, then its operations in the order they would run. */
function printPlan(plan: readonly PlanStep[], stdout: (line: string) => void): void {
  stdout("Planned operations:");
  if (plan.length === 0) stdout("  No planned migration operations.");
  for (const { migration, backwards } of plan) {
    stdout(migrationKey(migration));
    const operations = backwards ? [...migration.migration.operations].reverse() : migration.migration.operations;
    for (const operation of operations) stdout(`    ${describePlannedOperation(operation, backwards).text}`);
  }
}
