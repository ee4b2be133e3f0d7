/**
 * `pnpm --filter @tsgi/demo cluster` (scripts/cluster.ts): the one command that runs the demo as three
 * instances behind nginx. Started as a user would (tsx, PORT), with its data in a temp folder; Ctrl-C
 * (SIGINT) must stop every process it started and remove nginx's folder.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "./helpers/site.js";

const demoDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const noNginx = spawnSync("/usr/sbin/nginx", ["-v"]).status === 0 ? undefined : "nginx is not installed (Debian package nginx)";
let child: ChildProcess | undefined;
let output = "";
let dataDir: string;
let base = "";

/** Four consecutive free ports (nginx's and the three instances'): the script takes PORT and the next three. */
async function freePortRun(): Promise<number> {
  const listenable = (port: number) =>
    new Promise<boolean>((done) => {
      const server = createServer();
      server.once("error", () => done(false));
      server.listen(port, "127.0.0.1", () => server.close(() => done(true)));
    });
  for (;;) {
    const port = 20000 + Math.floor(Math.random() * 30000);
    let free = true;
    for (let i = 0; i < 4 && free; i++) free = await listenable(port + i);
    if (free) return port;
  }
}

const listening = (port: number) =>
  new Promise<boolean>((done) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => done(false));
  });

beforeAll(async () => {
  if (noNginx !== undefined) return;
  dataDir = mkdtempSync(join(tmpdir(), "tsgi-demo-cluster-"));
  const port = await freePortRun();
  child = spawn(join(demoDir, "node_modules", ".bin", "tsx"), ["scripts/cluster.ts"], {
    cwd: demoDir,
    env: { ...process.env, PORT: String(port), DEMO_DATA_DIR: dataDir, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<never>((_, fail) => child?.once("exit", (code) => fail(new Error(`cluster script exited (${code}):\n${output}`))));
  const ready = new Promise<void>((done) => {
    const check = () => (output.includes("Ctrl-C stops all") ? done() : setTimeout(check, 100));
    check();
  });
  await Promise.race([ready, exited]);
  base = `http://127.0.0.1:${port}`;
}, 180_000);

afterAll(async () => {
  if (child !== undefined && child.exitCode === null && child.signalCode === null) {
    const gone = new Promise((done) => child?.once("exit", done));
    child.kill("SIGINT");
    await gone;
  }
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

describe.skipIf(noNginx !== undefined)("pnpm --filter @tsgi/demo cluster", () => {
  it("serves the guestbook through nginx from three instances sharing the data; static files from nginx", async () => {
    const ports = [...output.matchAll(/127\.0\.0\.1:(\d+)/g)].map((match) => Number(match[1]));
    expect(new Set(ports).size).toBe(4);
    // An entry signed through nginx is on the page whichever instance answers next (one SQLite file).
    const browser = new Browser(base);
    const { token, status } = await browser.page("/");
    expect(status).toBe(200);
    const form = new FormData();
    form.set("csrfmiddlewaretoken", token);
    form.set("name", "Cluster");
    form.set("message", "signed through nginx");
    expect((await browser.fetch("/sign/", { method: "POST", body: form })).status).toBe(302);
    for (let i = 0; i < 6; i++) expect((await browser.page("/")).html).toContain("signed through nginx");
    const css = await fetch(`${base}/static/css/site.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get("cache-control")).toMatch(/immutable/);
  }, 60_000);

  it("Ctrl-C stops nginx and every instance and removes nginx's folder", async () => {
    const ports = [...new Set([...output.matchAll(/127\.0\.0\.1:(\d+)/g)].map((match) => Number(match[1])))];
    const prefix = /nginx's folder: ([^;\s]+)/.exec(output)?.[1];
    expect(prefix !== undefined && existsSync(prefix), "nginx's folder while it runs").toBe(true);
    const gone = new Promise<number | null>((done) => child?.once("exit", (code) => done(code)));
    child?.kill("SIGINT");
    expect(await gone).toBe(0);
    for (const port of ports) expect(await listening(port), `port ${port} still listens`).toBe(false);
    expect(existsSync(prefix as string)).toBe(false);
  }, 60_000);
});
