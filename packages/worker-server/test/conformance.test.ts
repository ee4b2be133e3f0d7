/**
 * The tsgi conformance suite against the real `tsgi-worker` process tree (master + workers
 * loading the conformance app by path), with 1 and with 4 workers.
 */
import { runConformance } from "tsgi/conformance";
import { startMaster } from "./fixtures/master.js";
import type { MasterProcess } from "./fixtures/master.js";

for (const workers of [1, 4]) {
  runConformance({
    name: `tsgi-worker -w ${workers}`,
    // The mounted (SCRIPT_NAME) checks start one more master: once, with one worker, is enough.
    capabilities: { scriptName: workers === 1, websocket: true, lifespan: true },
    async start(_app, { appModule, scriptName }) {
      // SCRIPT_NAME in the environment mounts the app, as Gunicorn reads it.
      const master: MasterProcess = startMaster(["-b", "127.0.0.1:0", "-w", String(workers), appModule], {
        env: scriptName ? { SCRIPT_NAME: scriptName } : {},
      });
      const url = await master.url();
      await master.waitForCount(/Worker ready/, workers);
      return {
        url,
        async close() {
          master.signal("SIGTERM");
          await master.exited;
          await master.cleanup();
        },
      };
    },
  });
}
