import { DatabaseCache } from "../../cache/db.js";
import type { CacheSettings } from "../../cache/backend.js";
import type { ManagementCommand } from "../command.js";

/**
 * `manage createcachetable`: creates the table of every `BACKEND: "db"` cache in CACHES
 * that does not have one yet (Django's command); `--dry-run` only names them.
 *
 * @example
 * manage createcachetable
 */
export const createcachetableCommand: ManagementCommand = {
  help: 'Creates the tables of the "db" caches in CACHES (those missing). --dry-run lists them.',
  async run({ args, settings, stdout }) {
    const dryRun = args.includes("--dry-run");
    const entries = Object.entries(settings.CACHES ?? {}).filter(([, entry]: [string, CacheSettings]) => entry.BACKEND === "db");
    if (entries.length === 0) stdout('No "db" cache in CACHES: nothing to create.');
    for (const [alias, entry] of entries) {
      const cache = new DatabaseCache(entry);
      if (dryRun) {
        stdout(`Would create the table "${cache.table}" of the cache "${alias}" (database "${cache.database}") if missing.`);
        continue;
      }
      const created = await cache.createTable();
      stdout(created ? `Created the table "${cache.table}" for the cache "${alias}".` : `The table "${cache.table}" of the cache "${alias}" already exists.`);
    }
  },
};
