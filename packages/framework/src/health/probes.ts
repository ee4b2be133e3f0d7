import { connections } from "../db/connections.js";
import { caches } from "../cache/caches.js";
import { RedisCache } from "../cache/redis.js";
import { sql } from "kysely";
import type { Settings } from "../settings/types.js";
import type { HealthChecksSetting } from "./settings.js";

/** One dependency's state in a readiness answer. */
export interface ProbeResult {
  name: string;
  ok: boolean;
  /** Why it failed (never credentials: the error's message only). */
  error?: string;
}

/**
 * Runs the readiness probes HEALTH_CHECKS names: `SELECT 1` on each database, `PING` on each
 * Redis cache, each bounded by TIMEOUT_MS so a probe never hangs on a dead server.
 *
 * @example
 * const results = await runReadinessProbes(settings); // [{ name: "database:default", ok: true }, ...]
 */
export async function runReadinessProbes(settings: Settings): Promise<ProbeResult[]> {
  const config: HealthChecksSetting = settings.HEALTH_CHECKS ?? {};
  const timeout = config.TIMEOUT_MS ?? 2000;
  const databases = config.DATABASES ?? Object.keys(settings.DATABASES ?? {});
  const cacheAliases = config.CACHES ?? Object.keys(settings.CACHES ?? {});
  const probes: Array<[string, () => Promise<unknown>]> = [
    ...databases.map((alias): [string, () => Promise<unknown>] => [`database:${alias}`, () => sql`select 1`.execute(connections.get(alias).kysely)]),
    ...cacheAliases.map((alias): [string, () => Promise<unknown>] => [
      `cache:${alias}`,
      async () => {
        const cache = caches.get(alias);
        if (cache instanceof RedisCache && !(await cache.ping())) throw new Error(`Redis at ${cache.location} does not answer PING`);
      },
    ]),
  ];
  return Promise.all(probes.map(async ([name, probe]) => bounded(name, probe, timeout)));
}

async function bounded(name: string, probe: () => Promise<unknown>, ms: number): Promise<ProbeResult> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([probe(), expired]);
    return { name, ok: true };
  } catch (error) {
    return { name, ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
