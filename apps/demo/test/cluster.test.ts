/**
 * `pnpm --filter @tsgi/demo cluster` (scripts/cluster.ts): the one command that runs the demo as three
 * instances behind nginx. Started as a user would (tsx, PORT), with its data in a temp folder; Ctrl-C
 * (SIGINT) must stop every process it started and remove nginx's folder. The chat spans the instances
 * through the Redis the script starts: sockets opened through nginx's /ws/ location on different
 * instances (nginx's access log says which) all get a message sent on any of them.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
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

  it("a chat message sent through one instance reaches sockets on the others (RedisChannelLayer over the script's redis-server)", async () => {
    expect(output).toMatch(/chat groups: unix:\/\/\S+redis\.sock/);
    const prefix = /nginx's folder: ([^;\s]+)/.exec(output)?.[1] as string;
    // Opened one after another, nginx's round robin spreads them over the instances.
    const clients: { socket: WebSocket; messages: string[]; seen: (text: string) => Promise<void> }[] = [];
    for (let i = 0; i < 3; i++) {
      const socket = new WebSocket(`${base.replace("http", "ws")}/ws/chat/`);
      socket.on("error", () => undefined);
      const messages: string[] = [];
      const waiters: (() => void)[] = [];
      socket.on("message", (data: Buffer) => {
        messages.push(JSON.parse(data.toString()).text as string);
        for (const wake of waiters.splice(0)) wake();
      });
      const seen = async (text: string): Promise<void> => {
        while (!messages.includes(text)) await new Promise<void>((wake) => waiters.push(wake));
      };
      await new Promise((done, fail) => (socket.once("open", done), socket.once("unexpected-response", (_req, res) => fail(new Error(`handshake ${res.statusCode}`)))));
      clients.push({ socket, messages, seen });
    }
    try {
      clients[0]?.socket.send(JSON.stringify({ name: "Ann", text: "from the first socket" }));
      await Promise.all(clients.map((client) => client.seen("from the first socket")));
      clients[2]?.socket.send(JSON.stringify({ name: "Bob", text: "from the third socket" }));
      await Promise.all(clients.map((client) => client.seen("from the third socket")));
      // Each socket got each message once (one Redis delivery per instance, one send per member).
      for (const client of clients) expect(client.messages).toEqual(["from the first socket", "from the third socket"]);
    } finally {
      await Promise.all(clients.map(({ socket }) => new Promise((done) => (socket.once("close", done), socket.close()))));
    }
    // nginx logs a proxied WebSocket when it ends: the instance ($upstream_addr) each socket was on.
    let upstreams: string[] = [];
    for (let i = 0; i < 600 && upstreams.length < 3; i++) {
      const log = existsSync(join(prefix, "access.log")) ? readFileSync(join(prefix, "access.log"), "utf8") : "";
      upstreams = [...log.matchAll(/ 101 GET \/ws\/chat\/ "([^"]+)"/g)].map((match) => match[1] as string);
      if (upstreams.length < 3) await new Promise((done) => setTimeout(done, 100));
    }
    expect(upstreams).toHaveLength(3);
    // At least two instances held the sockets, so some socket got each message from another instance.
    expect(new Set(upstreams).size).toBeGreaterThanOrEqual(2);
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
