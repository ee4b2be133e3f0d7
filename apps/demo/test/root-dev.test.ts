/**
 * `pnpm dev` at the repository root, as the README tells a new user: pnpm runs the demo's `dev`
 * script (tsgi-dev) directly, so the output looks like tsgi-dev run by hand (colors on a terminal,
 * no task prefix), Ctrl-C ends it quietly with status 0, DEBUG is on unless told otherwise, and
 * the environment the README mentions (PORT, DEBUG, DEMO_DATA_DIR) reaches the server.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { WORKSPACE } from "./swap/servers.js";

const dataDir = mkdtempSync(join(tmpdir(), "tsgi-demo-root-dev-"));

interface RootDev {
  child: ChildProcess;
  url: string;
  output(): string;
  /** Ctrl-C as a terminal sends it (SIGINT to the whole process group); resolves with the exit status. */
  interrupt(): Promise<number | null>;
}
const started: RootDev[] = [];

afterEach(async () => {
  for (const dev of started.splice(0)) {
    if (dev.child.exitCode === null && dev.child.signalCode === null) await dev.interrupt();
  }
});

/**
 * Starts `pnpm dev` at the root inside a pseudo-terminal (`script`), as a developer's shell runs it,
 * and resolves once tsgi-dev announces its URL.
 */
function startRootDev(env: Record<string, string | undefined>, args: string[] = []): Promise<RootDev> {
  const command = ["pnpm", "dev", ...args].join(" ");
  const child = spawn("script", ["-qfec", command, "/dev/null"], {
    cwd: WORKSPACE,
    env: { ...process.env, NO_COLOR: undefined, FORCE_COLOR: undefined, DEBUG: undefined, PORT: undefined, ...env, TERM: "xterm-256color" },
    detached: true,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const onData = (data: Buffer) => {
      output += data.toString();
      // eslint-disable-next-line no-control-regex
      const match = /Listening on (?:\x1b\[[0-9;]*m)*(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        const dev: RootDev = {
          child,
          url: match[1] as string,
          output: () => output,
          interrupt: () => {
            process.kill(-(child.pid as number), "SIGINT");
            return exited;
          },
        };
        started.push(dev);
        resolve(dev);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => reject(new Error(`pnpm dev exited (${code}) before listening:\n${output}`)));
  });
}

describe("pnpm dev at the repository root", { timeout: 180_000 }, () => {
  it("serves the demo on tsgi-dev with PORT, DEBUG and DEMO_DATA_DIR from the environment", async () => {
    const dev = await startRootDev({ PORT: "0", DEBUG: "1", DEMO_DATA_DIR: dataDir });
    expect(dev.url).not.toBe("http://127.0.0.1:8000");
    const home = await fetch(`${dev.url}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain("<h1>Sign the guestbook</h1>");
    // DEBUG=1 reached the settings: the technical 404 page lists the URL patterns.
    const missing = await fetch(`${dev.url}/no/such/page`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("export.csv");
    // DEMO_DATA_DIR reached the store: the entry is written there.
    const added = await fetch(`${dev.url}/api/entries/`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "Root", message: "pnpm dev" }) });
    expect(added.status).toBe(201);
    expect(existsSync(join(dataDir, "db.sqlite3"))).toBe(true);
  });

  it("looks like tsgi-dev run by hand: colors, no task prefix, DEBUG on by default, --port passed through, Ctrl-C exits 0 quietly", async () => {
    const dev = await startRootDev({ DEMO_DATA_DIR: dataDir }, ["--port", "0"]);
    // DEBUG unset: pnpm dev turns it on (so template edits show at once); the technical 404 page says so.
    const missing = await fetch(`${dev.url}/no/such/page`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain("export.csv");
    const code = await dev.interrupt();
    const output = dev.output();
    expect(code).toBe(0);
    expect(output).toContain("\x1b["); // colors: the banner is colored on a terminal
    expect(output).not.toContain("@tsgi/demo:dev");
    expect(output).not.toMatch(/ELIFECYCLE|ERR_PNPM|Command failed/);
  });
});

process.on("exit", () => rmSync(dataDir, { recursive: true, force: true }));
