/**
 * `--reload` with open WebSockets (issue 16): development reloads close them with 1012 (service
 * restart) as soon as the new workers serve, so a page reconnects to the new code at once; a HUP
 * (production) keeps serving them until --graceful-timeout (websocket-lifecycle.test.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cleanupMasters, startMaster, waitForExit } from "./fixtures/master.js";
import { closeCode, openGreeted, roundTrip, terminateWebSockets } from "./fixtures/wsClient.js";

const dirs: string[] = [];
afterEach(async () => {
  terminateWebSockets();
  await cleanupMasters();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** An app with no imports (the temp folder cannot resolve packages): greets with its version, then echoes. */
const appSource = (version: string) => `export default async function app(environ: Record<string, any>, startResponse: (s: string, h: Array<[string, string]>) => void) {
  const websocket = environ["tsgi.websocket"];
  if (websocket === undefined) {
    startResponse("200 OK", [["Content-Type", "text/plain"]]);
    return [new TextEncoder().encode(${JSON.stringify(version)})];
  }
  await websocket.accept();
  await websocket.send(${JSON.stringify(version)});
  for await (const message of websocket) await websocket.send(message);
  return [];
}
`;

describe("--reload with open WebSockets", () => {
  it("closes them with 1012 (service restart) once the new workers serve, and the reconnection gets the new code", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsgi-ws-reload-"));
    dirs.push(dir);
    const file = join(dir, "app.ts");
    writeFileSync(file, appSource("v1"));
    // A graceful timeout far longer than the test: only the 1012 close can end the old sockets in time.
    const master = startMaster(["-b", "127.0.0.1:0", "--reload", "--graceful-timeout", "600", file], { cwd: dir });
    const url = await master.url();
    await master.waitForCount(/Worker ready/, 1);
    const old = await openGreeted(url, "/");
    expect(old.first).toBe("v1");
    expect(await roundTrip(old.client, "before")).toBe("before");
    const [first] = master.bootedPids() as [number];

    const closed = closeCode(old.client);
    writeFileSync(file, appSource("v2"));
    await master.waitFor(/Worker reloading: .*app\.ts modified/);
    expect(await closed).toBe(1012);
    await waitForExit(first);
    const fresh = await openGreeted(url, "/");
    expect(fresh.first).toBe("v2");
    expect(await roundTrip(fresh.client, "after")).toBe("after");
  });
});
