import { describe, expect, test } from "vitest";
import { MigrationError, models, type Migration } from "../../src/index.js";

const { MigrationGraph, migrationPlan, resolveMigration } = models;

/** A graph from `app.name` -> declared dependencies (no files, no operations: the planner needs neither). */
function graph(spec: Record<string, string[]>): InstanceType<typeof MigrationGraph> {
  const migrations = new Map(
    Object.entries(spec).map(([key, dependencies]) => {
      const [app, name] = key.split(".") as [string, string];
      const migration: Migration = { dependencies: dependencies.map((d) => d.split(".") as [string, string]), operations: [] };
      return [key, { app, name, file: `${app}/migrations/${name}.ts`, migration }] as const;
    }),
  );
  return new MigrationGraph(migrations);
}

const keys = (steps: ReturnType<typeof migrationPlan>) => steps.map((step) => `${step.backwards ? "-" : "+"}${step.migration.app}.${step.migration.name}`);

// polls.0002 is needed by blog.0002; blog.0001 needs polls.0001 only; shop is unrelated.
const project = graph({
  "polls.0001_initial": [],
  "polls.0002_slug": [],
  "polls.0003_votes": [],
  "blog.0001_initial": ["polls.0001_initial"],
  "blog.0002_links": ["polls.0002_slug"],
  "shop.0001_initial": [],
});
const all = new Set(project.migrations.keys());

describe("migrationPlan (Django's MigrationExecutor.migration_plan)", () => {
  test("backwards to a migration unapplies the app's later ones and their dependants in any app, dependants first", () => {
    expect(keys(migrationPlan(project, all, [{ app: "polls", name: "0001_initial" }]))).toEqual(["-polls.0003_votes", "-blog.0002_links", "-polls.0002_slug"]);
    expect(keys(migrationPlan(project, all, [{ app: "polls", name: "0002_slug" }]))).toEqual(["-polls.0003_votes"]);
    // The target's own dependencies stay: blog back to 0001 leaves polls alone.
    expect(keys(migrationPlan(project, all, [{ app: "blog", name: "0001_initial" }]))).toEqual(["-blog.0002_links"]);
    // Already there: nothing to do.
    expect(migrationPlan(project, all, [{ app: "polls", name: "0003_votes" }])).toEqual([]);
  });

  test("zero unapplies every migration of the app and whatever depends on them; only applied ones", () => {
    const zero = keys(migrationPlan(project, all, [{ app: "polls", name: null }]));
    expect(new Set(zero)).toEqual(new Set(["-polls.0003_votes", "-blog.0002_links", "-polls.0002_slug", "-blog.0001_initial", "-polls.0001_initial"]));
    for (const [dependant, dependency] of [["blog.0002_links", "polls.0002_slug"], ["blog.0001_initial", "polls.0001_initial"], ["polls.0002_slug", "polls.0001_initial"]]) {
      expect(zero.indexOf(`-${dependant}`)).toBeLessThan(zero.indexOf(`-${dependency}`));
    }
    const partly = new Set(["polls.0001_initial", "blog.0001_initial", "shop.0001_initial"]);
    expect(keys(migrationPlan(project, partly, [{ app: "polls", name: null }]))).toEqual(["-blog.0001_initial", "-polls.0001_initial"]);
    expect(migrationPlan(project, new Set(), [{ app: "polls", name: null }])).toEqual([]);
  });

  test("forwards to a migration applies what it depends on, in order, and nothing after it", () => {
    expect(keys(migrationPlan(project, new Set(), [{ app: "blog", name: "0002_links" }]))).toEqual(["+polls.0001_initial", "+blog.0001_initial", "+polls.0002_slug", "+blog.0002_links"]);
    expect(keys(migrationPlan(project, new Set(["polls.0001_initial"]), [{ app: "polls", name: "0002_slug" }]))).toEqual(["+polls.0002_slug"]);
  });

  test("several targets share one view of what is applied (each migration once)", () => {
    const plan = keys(migrationPlan(project, new Set(), [{ app: "polls", name: "0003_votes" }, { app: "blog", name: "0002_links" }, { app: "shop", name: "0001_initial" }]));
    expect(plan).toEqual(["+polls.0001_initial", "+polls.0002_slug", "+polls.0003_votes", "+blog.0001_initial", "+blog.0002_links", "+shop.0001_initial"]);
  });

  test("resolveMigration: exact name, unique prefix, Django's errors otherwise", () => {
    const ambiguous = graph({ "polls.0001_initial": [], "polls.0001_initial_data": [], "polls.0002_a": [], "polls.0002_b": [] });
    expect(resolveMigration(ambiguous, "polls", "0001_initial").name).toBe("0001_initial");
    expect(resolveMigration(ambiguous, "polls", "0001_initial_d").name).toBe("0001_initial_data");
    expect(() => resolveMigration(ambiguous, "polls", "0002")).toThrow(new MigrationError("More than one migration matches '0002' in app 'polls'. Please be more specific."));
    expect(() => resolveMigration(ambiguous, "polls", "0003")).toThrow(new MigrationError("Cannot find a migration matching '0003' from app 'polls'."));
    expect(() => migrationPlan(ambiguous, new Set(), [{ app: "polls", name: "0009_x" }])).toThrow(MigrationError);
  });
});
