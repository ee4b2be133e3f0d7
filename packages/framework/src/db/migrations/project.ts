import type { Settings } from "../../settings/types.js";
import { connections } from "../connections.js";
import { importModels, installedApps, loadMigrations, type AppConfig, type MigrationGraph } from "./loader.js";

/** What the migration commands work on. */
export interface MigrationProject {
  readonly apps: AppConfig[];
  readonly graph: MigrationGraph;
}

/**
 * Points the connections at the project's databases, imports each app's models and loads the migrations.
 *
 * @example
 * const { apps, graph } = await loadMigrationProject(settings);
 */
export async function loadMigrationProject(settings: Settings): Promise<MigrationProject> {
  await connections.configure(settings);
  const apps = installedApps(settings);
  await importModels(apps);
  return { apps, graph: await loadMigrations(apps) };
}
