/**
 * Runs this package's vitest suite on Node 24 (`pnpm test:node24 [vitest args]`): vitest, its
 * forked test processes and every master and worker they start all use Node 24's execPath,
 * so the whole suite exercises the Node 24 socket-sharing path, not only test/node24.test.ts.
 *
 * @example
 * // pnpm --filter @tsgi/worker-server test:node24 test/arbiter.test.ts
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { findNode24 } from "./fixtures/node24.js";

const vitest = join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");
const result = spawnSync(findNode24(), [vitest, "run", ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(result.status ?? 1);
