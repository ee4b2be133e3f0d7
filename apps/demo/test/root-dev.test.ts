/**
 * `pnpm dev` at the repository root, as the README tells a new user: turbo runs
 * the demo's `dev` script (tsgi-dev). The environment the README mentions
 * (PORT, DEBUG, DEMO_DATA_DIR) must reach the server through turbo.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { WORKSPACE } from "./swap/servers.js";

const dataDir = mkdtempSync(join(tmpdir(), "tsgi-demo-root-dev-"));
let child: ChildProcess | undefined;

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child?.once("exit", () => resolve()));
    // pnpm, turbo and tsgi-dev share the group started here; SIGINT is what Ctrl-C sends.
    process.kill(-(child.pid as number), "SIGINT");
    await exited;
  }
  rmSync(dataDir, { recursive: true, force: true });
});

/** Starts `pnpm dev` at the root and resolves with the URL tsgi-dev announces. */
function startRootDev(env: Record<string, string>): Promise<string> {
  child = spawn("pnpm", ["dev"], { cwd: WORKSPACE, env: { ...process.env, ...env, NO_COLOR: "1", FORCE_COLOR: "0" }, detached: true });
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve(match[1] as string);
    };
    child?.stdout?.on("data", onData);
    child?.stderr?.on("data", onData);
    child?.once("exit", (code) => reject(new Error(`pnpm dev exited (${code}) before listening:\n${output}`)));
  });
}

describe("pnpm dev at the repository root", () => {
  it("serves the demo on tsgi-dev with PORT, DEBUG and DEMO_DATA_DIR from the environment", async () => {
    const url = await startRootDev({ PORT: "0", DEBUG: "1", DEMO_DATA_DIR: dataDir });
    expect(url).not.toBe("http://127.0.0.1:8000");
    const home = await fetch(`${url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("<h1>Sign the guestbook</h1>");
    // DEBUG=1 reached the settings: the technical 404 page lists the URL patterns.
    const missing = await fetch(`${url}/no/such/page`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("export.csv");
    // DEMO_DATA_DIR reached the store: the entry is written there.
    const added = await fetch(`${url}/api/entries/`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "Root", message: "pnpm dev" }) });
    expect(added.status).toBe(201);
    expect(existsSync(join(dataDir, "entries.jsonl"))).toBe(true);
  });
});
