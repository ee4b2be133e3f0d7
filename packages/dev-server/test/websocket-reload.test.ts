/**
 * tsgi-dev as a user runs it (supervisor + app process): a WebSocket open across a reload is
 * closed with 1012 (service restart) and a reconnect reaches the new code; the app's lifespan
 * runs in each app process (issue 16).
 */
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { PROCESS_TEST_TIMEOUT_MS, killAllDevProcesses, startDevServer } from "./helpers/dev-process.js";
import { createTempProject } from "./helpers/temp-project.js";

afterAll(killAllDevProcesses);

function liveApp(version: string): string {
  return `export const app = Object.assign(async (environ: Record<string, any>) => {
  const websocket = environ["tsgi.websocket"];
  await websocket.accept();
  await websocket.send("${version} " + String(environ["tsgi.state"]?.started));
  for await (const message of websocket) await websocket.send(message);
  return [];
}, { lifespan: { startup(state: Record<string, unknown>) { state.started = "started"; console.log("lifespan startup ${version}"); } } });
`;
}

async function firstMessage(url: string): Promise<{ client: WebSocket; text: string }> {
  const client = new WebSocket(url);
  client.on("error", () => undefined);
  const [data] = await once(client, "message");
  return { client, text: String(data) };
}

describe("WebSocket across a tsgi-dev reload", { timeout: PROCESS_TEST_TIMEOUT_MS }, () => {
  it("closes open sockets with 1012 on a reload; a reconnect gets the new code and its lifespan state", async () => {
    const project = createTempProject({ "app.ts": liveApp("v1") });
    const dev = await startDevServer(["--port", "0", "app.ts:app"], { cwd: project.dir });
    try {
      const url = dev.url.replace(/^http/, "ws");
      const first = await firstMessage(url);
      expect(first.text).toBe("v1 started");
      const closed = once(first.client, "close");
      const mark = dev.outputLength();
      writeFileSync(project.path("app.ts"), liveApp("v2"));
      const [code] = await closed;
      expect(code).toBe(1012);
      await dev.waitForOutput(/reloaded in \d+ ms/, mark);
      const second = await firstMessage(url);
      expect(second.text).toBe("v2 started");
      second.client.close();
      expect(dev.stdout()).toMatch(/lifespan startup v2/);
    } finally {
      await dev.stop("SIGTERM");
      project.remove();
    }
  });
});
