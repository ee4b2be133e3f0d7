/** --log-level on a real master: lines below the level are dropped, in the master and in its workers. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { httpRequest } from "./fixtures/client.js";
import { APP, cleanupMasters, startMaster } from "./fixtures/master.js";

afterEach(cleanupMasters);
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Asks until the server answers: at --log-level warning it never logs "Listening at". */
async function firstAnswer(socketPath: string): Promise<string> {
  for (;;) {
    try {
      return (await httpRequest({ socketPath, path: "/" })).body.trim();
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

describe("--log-level", () => {
  it("debug logs the current configuration at start-up, as Gunicorn", async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "--log-level", "debug", "--max-requests", "17", APP]);
    await master.waitFor(/\[DEBUG\] Current configuration:/);
    await master.waitFor(/^\s+maxRequests\s+= 17$/);
    await master.waitForCount(/\[INFO\] Worker ready/, 1);
  });

  it("warns at start-up about request limits clamped to Gunicorn's ceilings, and serves with the clamped ones", async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "--limit-request-line", "9000", "--limit-request-field-size", "0", APP]);
    await master.waitFor(/\[WARNING\] --limit-request-line 9000 is above Gunicorn's ceiling: 8190 is used/);
    await master.waitFor(/\[WARNING\] --limit-request-field-size 0 means the default 8190/);
    await master.waitForCount(/\[INFO\] Worker ready/, 1);
  });

  it("warning drops info lines but keeps errors (a worker killed with SIGKILL)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tsgi-errorlog-"));
    dirs.push(dir);
    const socketPath = join(dir, "app.sock");
    const master = startMaster(["-b", `unix:${socketPath}`, "--log-level", "warning", APP]);
    const worker = Number(await firstAnswer(socketPath));
    process.kill(worker, "SIGKILL");
    await master.waitFor(new RegExp(`\\[ERROR\\] Worker \\(pid:${worker}\\) was sent SIGKILL!`));
    // The replacement serves; its boot was logged at INFO, so not at all.
    expect(Number(await firstAnswer(socketPath))).not.toBe(worker);
    expect(master.lines.filter((line) => /\[(INFO|DEBUG)\]/.test(line))).toEqual([]);
  });
});
