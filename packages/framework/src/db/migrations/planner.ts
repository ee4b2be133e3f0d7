import { MigrationError } from "../errors.js";
import type { MigrationGraph } from "./loader.js";
import type { LoadedMigration } from "./types.js";

/** Where `migrate` should take an app: to its migration `name` (applied, later ones unapplied), or `null` for `zero`. */
export interface MigrationTarget {
  readonly app: string;
  readonly name: string | null;
}

/** One migration to run, forwards (apply) or backwards (unapply). */
export interface PlanStep {
  readonly migration: LoadedMigration;
  readonly backwards: boolean;
}

/** `app.name`, the key of a migration in the graph and in `tsgi_migrations`. */
export function migrationKey(migration: Pick<LoadedMigration, "app" | "name">): string {
  return `${migration.app}.${migration.name}`;
}

/**
 * The app's migration named `prefix` or whose name starts with it (`0001` for `0001_initial`), as
 * Django's `get_migration_by_prefix`; an unknown or ambiguous prefix is a {@link MigrationError}
 * with Django's wording.
 *
 * @example
 * resolveMigration(graph, "polls", "0002").name; // "0002_question_slug"
 */
export function resolveMigration(graph: MigrationGraph, app: string, prefix: string): LoadedMigration {
  const migrations = graph.ofApp(app);
  const exact = migrations.find((migration) => migration.name === prefix);
  if (exact !== undefined) return exact;
  const matches = migrations.filter((migration) => migration.name.startsWith(prefix));
  if (matches.length > 1) throw new MigrationError(`More than one migration matches '${prefix}' in app '${app}'. Please be more specific.`);
  const [match] = matches;
  if (match === undefined) throw new MigrationError(`Cannot find a migration matching '${prefix}' from app '${app}'.`);
  return match;
}

/**
 * The migrations that take the database from `applied` to the targets (Django's
 * `MigrationExecutor.migration_plan`). An unapplied target is applied with what it depends on;
 * an applied one stays, and the app's migrations after it are unapplied together with every
 * migration (of any app) depending on them, dependants first; `name: null` (zero) unapplies
 * all of the app's migrations the same way.
 *
 * @example
 * migrationPlan(graph, applied, [{ app: "polls", name: "0001_initial" }]); // [{ migration: polls.0002_x, backwards: true }]
 */
export function migrationPlan(graph: MigrationGraph, applied: ReadonlySet<string>, targets: readonly MigrationTarget[]): PlanStep[] {
  const order = graph.plan();
  const children = childrenMap(graph);
  const state = new Set(applied);
  const steps: PlanStep[] = [];
  const unapply = (root: LoadedMigration): void => {
    for (const migration of backwardsPlan(children, order, root)) {
      const key = migrationKey(migration);
      if (!state.has(key)) continue;
      steps.push({ migration, backwards: true });
      state.delete(key);
    }
  };
  for (const target of targets) {
    if (target.name === null) {
      for (const root of graph.ofApp(target.app).filter((m) => !graph.dependenciesOf(m).some((dependency) => dependency.startsWith(`${target.app}.`)))) unapply(root);
      continue;
    }
    const node = graph.migrations.get(`${target.app}.${target.name}`);
    if (node === undefined) throw new MigrationError(`Cannot find a migration matching '${target.name}' from app '${target.app}'.`);
    if (state.has(migrationKey(node))) {
      // Roll back through the target's next migrations in the same app only, not the target's own dependencies.
      for (const child of (children.get(migrationKey(node)) ?? []).filter((m) => m.app === target.app)) unapply(child);
      continue;
    }
    for (const migration of forwardsPlan(graph, order, node)) {
      const key = migrationKey(migration);
      if (state.has(key)) continue;
      steps.push({ migration, backwards: false });
      state.add(key);
    }
  }
  return steps;
}

/** The target and everything it depends on, in plan order. */
function forwardsPlan(graph: MigrationGraph, order: readonly LoadedMigration[], target: LoadedMigration): LoadedMigration[] {
  const needed = new Set<string>();
  const visit = (key: string): void => {
    if (needed.has(key)) return;
    needed.add(key);
    const migration = graph.migrations.get(key);
    if (migration !== undefined) for (const dependency of graph.dependenciesOf(migration)) visit(dependency);
  };
  visit(migrationKey(target));
  return order.filter((migration) => needed.has(migrationKey(migration)));
}

/** The root and every migration depending on it, directly or not, dependants first. */
function backwardsPlan(children: ReadonlyMap<string, LoadedMigration[]>, order: readonly LoadedMigration[], root: LoadedMigration): LoadedMigration[] {
  const affected = new Set<string>();
  const visit = (migration: LoadedMigration): void => {
    const key = migrationKey(migration);
    if (affected.has(key)) return;
    affected.add(key);
    for (const child of children.get(key) ?? []) visit(child);
  };
  visit(root);
  return order.filter((migration) => affected.has(migrationKey(migration))).reverse();
}

/** For each migration, the migrations depending on it directly (declared, or the next one of its app). */
function childrenMap(graph: MigrationGraph): Map<string, LoadedMigration[]> {
  const children = new Map<string, LoadedMigration[]>();
  for (const migration of [...graph.migrations.values()].sort((a, b) => migrationKey(a).localeCompare(migrationKey(b)))) {
    for (const dependency of graph.dependenciesOf(migration)) children.set(dependency, [...(children.get(dependency) ?? []), migration]);
  }
  return children;
}
