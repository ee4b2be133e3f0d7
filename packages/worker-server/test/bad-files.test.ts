/**
 * Files named by settings (access log, TLS) that cannot be used: checked by the master at start
 * (cli.test.ts: exit 2) and on HUP (reload aborted), and reported as a boot error by a worker
 * when they broke after the master's check.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
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
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "tsgi-badfiles-"));
  dirs.push(dir);
  return dir;
}

describe("unusable files named by settings", () => {
  it("HUP with a config whose access log cannot be opened keeps the current configuration and workers", async () => {
    const dir = tempDir();
    const config = join(dir, "tsgi.config.json");
    writeFileSync(config, JSON.stringify({ accessLogfile: join(dir, "access.log") }));
    const master = startMaster(["-c", config, "-b", "127.0.0.1:0", APP]);
    const url = await master.url();
    await master.waitForCount(/Worker ready/, 1);
    writeFileSync(config, JSON.stringify({ accessLogfile: join(dir, "missing", "access.log") }));
    master.signal("SIGHUP");
    await master.waitFor(/Reload aborted, keeping the current configuration: argument --access-logfile: cannot open/);
    expect((await httpRequest(`${url}/`)).body.trim()).toBe(String(master.bootedPids()[0]));
    expect(master.bootedPids()).toHaveLength(1);
  });

  it("a worker whose access log became unopenable after the master's check reports a boot error, not a crash", async () => {
    const dir = tempDir();
    const logs = join(dir, "logs");
    mkdirSync(logs);
    const master = startMaster(["-b", "127.0.0.1:0", "--access-logfile", join(logs, "access.log"), APP]);
    const url = await master.url();
    await master.waitForCount(/Worker ready/, 1);
    rmSync(logs, { recursive: true });
    master.signal("SIGTTIN");
    await master.waitFor(/Worker \(pid:\d+\) failed to boot: cannot open access log/);
    expect(master.output).not.toContain("died while booting");
    expect((await httpRequest(`${url}/`)).status).toBe(200);
  });
});
