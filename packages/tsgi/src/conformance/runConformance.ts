import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, it } from "vitest";
import type { Application } from "../types.js";
import { CHECK_GROUPS, CONFORMANCE_CHECK_IDS } from "./checks/catalog.js";
import type { Check } from "./checks/check.js";
import { createCheckContext } from "./checks/context.js";
import { UnknownCheckError, serverOrigin } from "./errors.js";
import type { ConformanceOptions, RunningServer, StartOptions } from "./options.js";
import { createConformanceApp } from "./probes/conformanceApp.js";

/** The path of the module whose default export is the conformance app (for servers that load apps by path). */
export const CONFORMANCE_APP_MODULE = fileURLToPath(
  // Run from source (tsx, vitest) this file is .ts; from the published build it is .js, and so is app.
  new URL(new URL(import.meta.url).pathname.endsWith(".ts") ? "./app.ts" : "./app.js", import.meta.url),
);

/** The mount prefix used by checks that need `capabilities.scriptName`. */
export const CONFORMANCE_MOUNT_PREFIX = "/mount";

/**
 * Registers the TSGI conformance suite with vitest: call it at the top level of
 * a test file. It starts the server under test with the probe app, then checks
 * it over real sockets (status and headers verbatim, streaming, backpressure,
 * `close()` on every path, `tsgi.input`, `100 Continue`, HEAD, errors, framing,
 * paths and query strings, 50 MiB bodies, keep-alive and pipelining).
 *
 * @example
 * import { createServer } from "tsgi/node";
 * import { runConformance } from "tsgi/conformance";
 *
 * runConformance({
 *   name: "node:http",
 *   async start(app, { scriptName }) {
 *     const server = createServer(app, { scriptName });
 *     await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
 *     const { port } = server.address() as import("node:net").AddressInfo;
 *     return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
 *   },
 *   capabilities: { scriptName: true },
 * });
 */
export function runConformance(options: ConformanceOptions): void {
  const skip = new Set(options.skip ?? []);
  const unknown = [...skip].filter((id) => !CONFORMANCE_CHECK_IDS.includes(id));
  if (unknown.length > 0) throw new UnknownCheckError(unknown);
  const app = createConformanceApp();

  describe(`tsgi conformance: ${options.name ?? "server"}`, () => {
    const plain = CHECK_GROUPS.filter((group) => group.checks.every((check) => check.requires === undefined));
    registerServerSuite(options, app, { appModule: CONFORMANCE_APP_MODULE }, plain, skip);
    const mounted = CHECK_GROUPS.filter((group) => group.checks.some((check) => check.requires === "scriptName"));
    if (options.capabilities?.scriptName) {
      describe(`mounted at ${CONFORMANCE_MOUNT_PREFIX}`, () => {
        registerServerSuite(
          options,
          app,
          { appModule: CONFORMANCE_APP_MODULE, scriptName: CONFORMANCE_MOUNT_PREFIX },
          mounted,
          skip,
        );
      });
    } else {
      for (const group of mounted) {
        for (const check of group.checks) it.skip(`${check.title} [${check.id}] (server lacks capability ${check.requires})`, () => {});
      }
    }
    for (const capability of ["websocket", "lifespan"] as const) {
      const groups = CHECK_GROUPS.filter((group) => group.checks.some((check) => check.requires === capability));
      if (options.capabilities?.[capability]) {
        describe(capability, () => registerServerSuite(options, app, { appModule: CONFORMANCE_APP_MODULE }, groups, skip));
      } else {
        for (const group of groups) {
          for (const check of group.checks) it.skip(`${check.title} [${check.id}] (server lacks capability ${capability})`, () => {});
        }
      }
    }
  });
}

function registerServerSuite(
  options: ConformanceOptions,
  app: Application,
  startOptions: StartOptions,
  groups: ReadonlyArray<{ title: string; checks: readonly Check[] }>,
  skip: ReadonlySet<string>,
): void {
  let server: RunningServer | undefined;
  let origin: string | undefined;
  const context = createCheckContext(() => {
    if (origin === undefined) throw new Error("The server under test did not start: see the error of start() above.");
    return origin;
  });
  beforeAll(async () => {
    server = await options.start(app, startOptions);
    origin = serverOrigin(server);
  });
  afterEach(() => context.release());
  afterAll(async () => {
    // Closed even when its handle was rejected, as long as it can be.
    if (typeof server?.close === "function") await server.close();
  });
  for (const group of groups) {
    describe(group.title, () => {
      for (const check of group.checks) {
        const title = `${check.title} [${check.id}]`;
        if (skip.has(check.id)) it.skip(title, () => {});
        else it(title, () => check.run(context));
      }
    });
  }
}
