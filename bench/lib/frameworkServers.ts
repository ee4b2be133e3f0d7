import { existsSync } from "node:fs";
import { join } from "node:path";
import { CORES, node, nodePeer, tsgiWorker } from "./launchers.js";
import type { OtherNode } from "./otherNode.js";
import { APPS, INSTALLED } from "./paths.js";
import type { ScenarioName, ServerSpec } from "./serverSpec.js";

const FRAMEWORK: ScenarioName[] = ["framework", "framework-json", "framework-db"];
const FRAMEWORK_PATHS = { framework: "/bench/page/", "framework-json": "/bench/json/", "framework-db": "/bench/rows/" } as const;

/**
 * The framework scenarios' rows: tsgi-worker serving the @tsgi/framework site, the node:http
 * cluster's hello route as the framework-free reference, and Fastify with @fastify/view on the
 * same templates. With `other`, the same rows run by that Node, named after it.
 */
export function frameworkServers(other?: OtherNode, database = true): ServerSpec[] {
  const suffix = other ? ` (${other.label})` : "";
  const bin = other?.bin ?? node;
  // Without better-sqlite3 for this Node, the sites run without their database and the list page is left out.
  const scenarios = database ? FRAMEWORK : FRAMEWORK.filter((name) => name !== "framework-db");
  const siteEnv = database ? {} : { BENCH_DB: "off" };
  // The Fastify site loads better-sqlite3 from the install made for this Node (a native module built for its ABI).
  const fastifyEnv = other ? { ...siteEnv, BENCH_NODE_MODULES: join(other.installed.dir, "node_modules") } : siteEnv;
  return [
    {
      name: `tsgi-worker, framework route${suffix}`,
      workers: CORES,
      scenarios,
      paths: FRAMEWORK_PATHS,
      installed: true,
      runtime: other?.label,
      available: () => existsSync(join(APPS, "framework_site.ts")),
      start: tsgiWorker(CORES, (other?.installed ?? INSTALLED).frameworkApp, other?.installed, bin, siteEnv),
    },
    {
      name: `node:http cluster (${CORES}), framework-free page${suffix}`,
      workers: CORES,
      scenarios,
      paths: { framework: "/hello", "framework-json": "/hello", "framework-db": "/hello" },
      answersLike: { framework: "hello", "framework-json": "hello", "framework-db": "hello" },
      runtime: other?.label,
      available: () => true,
      start: nodePeer("node", CORES, bin),
    },
    {
      name: `Fastify + @fastify/view (nunjucks) cluster (${CORES})${suffix}`,
      workers: CORES,
      scenarios,
      paths: FRAMEWORK_PATHS,
      runtime: other?.label,
      available: () => true,
      start: nodePeer("fastify-site", CORES, bin, fastifyEnv),
    },
  ];
}
