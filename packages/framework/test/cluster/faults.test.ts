/**
 * Issue 17: three tsgi-worker instances behind one nginx (docs/deploy.md's configuration), sharing
 * PostgreSQL and Redis; faults and deploys under continuous wrk load through nginx, failures counted.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { get as httpsGet } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresUnavailable, startPostgres, type PostgresServer } from "../helpers/postgres.js";
import { redisUnavailable, startRedis, type RedisServer } from "../helpers/redis.js";
import { TestHost, netnsUnavailable } from "./testHost.js";
import WebSocket from "ws";
import { Instance, accessEntries, clusterUnavailable, failureWindow, freePort, makeProject, manage, pgCtl, startNginx, underLoad, type LoadResult, type Nginx } from "./cluster.js";

const skip = clusterUnavailable() ?? postgresUnavailable() ?? redisUnavailable();
let pg: PostgresServer;
let redis: RedisServer;
let nginx: Nginx;
let root: string;
const instances: Instance[] = [];
const hosts: TestHost[] = [];
/** Each instance on its own test host (network namespace) when the sandbox allows it, else on 127.0.0.1 ports. */
const netnsSkip = skip === undefined ? netnsUnavailable() : skip;
let base = "";
/** The nginx-tls block's ports and its self-signed certificate (openssl), when openssl is there. */
const tlsSkip = spawnSync("openssl", ["version"]).status === 0 ? undefined : "openssl is not installed (Debian package openssl)";
let tls: { dir: string; https: number; redirect: number; certificate: string } | undefined;
const figures: Record<string, LoadResult & { window?: string }> = {};

beforeAll(async () => {
  if (skip !== undefined) return;
  [pg, redis] = await Promise.all([startPostgres(), startRedis()]);
  const database = await pg.createDatabase("cluster");
  root = makeProject();
  // Unix sockets: files, so they reach the instances inside their network namespaces too.
  const env = { CLUSTER_DATABASE: JSON.stringify(database), CLUSTER_REDIS: redis.socketUrl };
  // Migrations once per deploy, never by each instance.
  const migrated = await manage(root, env, ["migrate"]);
  if (migrated.code !== 0) throw new Error(migrated.output);
  const collected = await manage(root, env, ["collectstatic", "--noinput"]);
  if (collected.code !== 0) throw new Error(collected.output);
  if (netnsSkip !== undefined) process.stderr.write(`cluster tests: instances on 127.0.0.1 ports (${netnsSkip})\n`);
  for (let i = 0; i < 3; i++) {
    let host: TestHost | undefined;
    if (netnsSkip === undefined) {
      host = new TestHost(i + 1);
      host.create();
      hosts.push(host);
    }
    instances.push(new Instance(i + 1, host === undefined ? await freePort() : 8000, root, env, host));
  }
  await Promise.all(instances.map((instance) => instance.start()));
  if (tlsSkip === undefined) {
    const dir = mkdtempSync(join(tmpdir(), "tsgi-cluster-tls-"));
    const made = spawnSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")], { encoding: "utf8" });
    if (made.status !== 0) throw new Error(`openssl req failed: ${made.stderr}`);
    tls = { dir, https: await freePort(), redirect: await freePort(), certificate: readFileSync(join(dir, "cert.pem"), "utf8") };
  }
  nginx = await startNginx(
    instances,
    join(root, "staticroot"),
    tls === undefined ? ["nginx-http"] : ["nginx-http", "nginx-tls"],
    tls === undefined
      ? {}
      : { LISTEN_HTTPS: `127.0.0.1:${tls.https}`, LISTEN_REDIRECT: `127.0.0.1:${tls.redirect}`, SERVER_NAME: "localhost", CERTIFICATE: join(tls.dir, "cert.pem"), CERTIFICATE_KEY: join(tls.dir, "key.pem") },
  );
  base = `http://127.0.0.1:${nginx.port}`;
}, 120_000);

afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.kill()));
  for (const host of hosts) host.destroy();
  await nginx?.stop();
  // pg_ctl restart gave the server a new pid: stop it through pg_ctl, then the helper cleans up.
  if (pg !== undefined) await pgCtl(pg.socketDir, ["stop", "-m", "immediate"]).catch(() => undefined);
  await pg?.stop();
  await redis?.stop({ remove: true });
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
  if (tls !== undefined) rmSync(tls.dir, { recursive: true, force: true });
  if (Object.keys(figures).length > 0) {
    // The figures docs/deploy.md quotes: printed, so a CI log shows them.
    const lines = Object.entries(figures).map(([name, r]) => `${name}: ${r.requests} requests, ${r.non2xx} non-2xx, ${r.socketErrors} socket errors, slowest ${r.maxLatency}${r.window ?? ""}`);
    process.stdout.write(`\ncluster figures:\n  ${lines.join("\n  ")}\n`);
  }
}, 60_000);

/** The end of nginx's error log, to explain a failure. */
const nginxLog = () => {
  try {
    return `\nnginx error.log (end):\n${readFileSync(join(nginx.prefix, "error.log"), "utf8").split("\n").slice(-15).join("\n")}`;
  } catch {
    return "";
  }
};
const text = async (path: string, init?: RequestInit) => (await fetch(`${base}${path}`, init)).text();

/**
 * Resolves once nginx sends requests to all three instances again: an instance nginx marked failed
 * (max_fails) is skipped until its fail_timeout passes, so a fault test right after another would
 * otherwise start with one instance fewer than it thinks.
 */
async function allInRotation(): Promise<void> {
  const seen = new Set<string>();
  for (let i = 0; i < 2000 && seen.size < 3; i++) {
    seen.add(/instance (\d)/.exec(await text("/").catch(() => ""))?.[1] ?? "?");
    seen.delete("?");
    if (seen.size < 3 && i % 3 === 2) await new Promise((done) => setTimeout(done, 20));
  }
  if (seen.size < 3) throw new Error(`nginx sends requests to instances ${[...seen].join(", ")} only`);
}

/** A chat socket through nginx, the instance that took it (its first message), and its next messages. */
interface ChatClient {
  socket: WebSocket;
  instance: string;
  next(): Promise<Record<string, string>>;
}

function connectChat(url: string, options: WebSocket.ClientOptions, open: WebSocket[]): Promise<ChatClient> {
  return new Promise((done, fail) => {
    const socket = new WebSocket(url, options);
    open.push(socket);
    const queue: Array<Record<string, string>> = [];
    const waiters: Array<(message: Record<string, string>) => void> = [];
    socket.on("message", (data) => {
      const message = JSON.parse(String(data)) as Record<string, string>;
      const waiter = waiters.shift();
      if (waiter === undefined) queue.push(message);
      else waiter(message);
    });
    const next = () => new Promise<Record<string, string>>((take) => (queue.length > 0 ? take(queue.shift() as Record<string, string>) : waiters.push(take)));
    socket.once("open", () => void next().then((hello) => done({ socket, instance: hello.instance as string, next })));
    socket.once("error", fail);
  });
}

/**
 * Two sockets through nginx on different instances (nginx balances handshakes round-robin: reconnect
 * until they differ); a message sent on one reaches both, relayed by the Redis channel layer.
 */
async function chatAcrossInstances(url: string, options: WebSocket.ClientOptions = {}): Promise<void> {
  const open: WebSocket[] = [];
  try {
    const first = await connectChat(url, options, open);
    let second = await connectChat(url, options, open);
    for (let i = 0; i < 20 && second.instance === first.instance; i++) second = await connectChat(url, options, open);
    expect(second.instance).not.toBe(first.instance);
    first.socket.send(JSON.stringify({ text: "across instances" }));
    const [toFirst, toSecond] = await Promise.all([first.next(), second.next()]);
    expect(toSecond).toEqual({ text: "across instances", from: first.instance, to: second.instance });
    expect(toFirst).toEqual({ text: "across instances", from: first.instance, to: first.instance });
  } finally {
    for (const socket of open) socket.terminate();
  }
}

describe.skipIf(skip !== undefined)("three instances behind nginx", () => {
  it("nginx balances over every instance with upstream keep-alive; static files come from nginx", async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 30 && seen.size < 3; i++) seen.add(/instance (\d)/.exec(await text("/"))?.[1] ?? "?");
    expect([...seen].sort()).toEqual(["1", "2", "3"]);
    const css = await fetch(`${base}/static/css/site.css`);
    expect(css.status).toBe(200);
    expect(await css.text()).toContain("#123456");
    expect(css.headers.get("cache-control")).toMatch(/public, immutable/);
    // Served by nginx: no instance is asked (the instances have no static view without DEBUG).
    expect((await fetch(`${instances[0]?.url}/static/css/site.css`)).status).toBe(404);
  });

  it("X-Forwarded-For from the client is replaced by nginx; the instance trusts nginx's", async () => {
    const seen = JSON.parse(await text("/client/", { headers: { "X-Forwarded-For": "6.6.6.6", "X-Forwarded-Proto": "https" } })) as { remote: string; scheme: string };
    expect(seen.remote).toBe("127.0.0.1");
    expect(seen.scheme).toBe("http");
  });

  it("a login through one instance is seen by every other (cached_db sessions on Redis and PostgreSQL)", async () => {
    const login = await fetch(`${base}/login/?user=grace`);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0] as string;
    const by = new Set<string>();
    for (let i = 0; i < 30 && by.size < 3; i++) {
      const answer = JSON.parse(await text("/whoami/", { headers: { cookie } })) as { user: string; by: string };
      expect(answer.user).toBe("grace");
      by.add(answer.by.split(" ")[1] as string);
    }
    expect(by.size).toBe(3);
  });

  it("a chat message sent through one instance reaches a WebSocket client on another (nginx Upgrade, Redis channel layer)", async () => {
    await chatAcrossInstances(`ws://127.0.0.1:${nginx.port}/ws/chat/`);
  }, 60_000);

  it.skipIf(tlsSkip !== undefined)("TLS ended at nginx (the guide's nginx-tls block): https and wss reach the instances, the request is secure, http redirects", async () => {
    const { https, redirect, certificate } = tls as NonNullable<typeof tls>;
    const answer = await new Promise<{ status: number; body: string }>((done, fail) => {
      httpsGet({ host: "127.0.0.1", port: https, path: "/client/", servername: "localhost", headers: { host: "localhost" }, ca: certificate }, (res) => {
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () => done({ status: res.statusCode ?? 0, body }));
      }).once("error", fail);
    });
    expect(answer.status).toBe(200);
    // X-Forwarded-Proto from nginx (trusted: --forwarded-allow-ips) makes the request https.
    expect(JSON.parse(answer.body)).toMatchObject({ scheme: "https", host: "localhost" });
    const moved = await fetch(`http://127.0.0.1:${redirect}/whoami/?x=1`, { redirect: "manual" });
    expect(moved.status).toBe(301);
    expect(moved.headers.get("location")).toBe("https://127.0.0.1/whoami/?x=1");
    await chatAcrossInstances(`wss://127.0.0.1:${https}/ws/chat/`, { ca: certificate });
  }, 60_000);

  it("SIGKILL of one instance under load: GETs retried on the others, zero failed requests", async () => {
    await allInRotation();
    const victim = instances[0] as Instance;
    const result = await underLoad(`${base}/`, 1, async () => {
      await victim.kill();
      await new Promise((done) => setTimeout(done, 1000));
      await victim.start(); // and back: nginx takes it into rotation again after fail_timeout
    });
    figures["SIGKILL one instance"] = result;
    expect(result.requests).toBeGreaterThan(0);
    expect(result.socketErrors, result.output).toBe(0);
    expect(result.non2xx, result.output + nginxLog()).toBe(0);
  }, 60_000);

  it.skipIf(netnsSkip !== undefined)("one instance's link cut under load (cable pulled at the host): GETs go to the others, no hang, then it rejoins", async () => {
    await allInRotation();
    const victim = instances[1] as Instance;
    const from = nginx.accessLog().length;
    const result = await underLoad(`${base}/`, 1, async () => {
      victim.host?.linkDown();
      await new Promise((done) => setTimeout(done, 3000));
      victim.host?.linkUp();
    });
    const entries = accessEntries(nginx.accessLog(), from);
    const { byStatus } = failureWindow(entries);
    const toVictim = entries.filter((entry) => entry.upstreams.length > 1 && entry.upstreams[0]?.startsWith(victim.address)).length;
    figures["link cut"] = { ...result, window: `; ${toVictim} retried away from the cut instance; failed by status ${JSON.stringify(byStatus)}` };
    // What reaches a cut host: new connections time out (proxy_connect_timeout 2s) and go to the next
    // instance; requests already sent on a kept-alive connection wait for the link (TCP retransmits)
    // or for proxy_read_timeout, then GETs are retried. So nothing a GET load sends may fail: the
    // bound is the requests in flight at the cut (wrk's 8 connections), and only for a non-idempotent
    // request nginx may not resend. A non-2xx from anyone but the instances (a gateway answering for
    // the cut address) fails here, named by the access log.
    expect(result.socketErrors, result.output + nginxLog()).toBe(0);
    expect(result.non2xx, `${result.output}${nginxLog()}\nfailed by status ${JSON.stringify(byStatus)}`).toBeLessThanOrEqual(8);
    await victim.waitAnswering();
  }, 60_000);

  it("rolling HUP of every instance under load: zero failed requests", async () => {
    await allInRotation();
    const result = await underLoad(`${base}/`, 1, async () => {
      for (const instance of instances) await instance.reload();
    });
    figures["rolling HUP"] = result;
    expect(result.socketErrors, result.output).toBe(0);
    expect(result.non2xx, result.output + nginxLog()).toBe(0);
  }, 90_000);

  it("rolling stop-then-start with a new code version under load: zero failed requests, every instance on v2", async () => {
    await allInRotation();
    const result = await underLoad(`${base}/`, 1, async () => {
      for (const instance of instances) {
        await instance.stop();
        instance.version = 2;
        await instance.start();
        // The guide's step 3: the next instance stops only once nginx sends requests to this one again.
        // nginx keeps a peer it saw fail out for fail_timeout (5 s) even after it answers, and stopping the
        // last live peer meanwhile leaves "no live upstreams" (502s); fast restarts on a quiet machine hit it.
        await allInRotation();
      }
    });
    figures["rolling stop/start v2"] = result;
    expect(result.socketErrors, result.output).toBe(0);
    expect(result.non2xx, result.output + nginxLog()).toBe(0);
    const versions = new Set<string>();
    for (let i = 0; i < 12; i++) versions.add(/v(\d)/.exec(await text("/"))?.[1] ?? "?");
    expect([...versions]).toEqual(["2"]);
  }, 120_000);

  it("Redis restarted under load: bounded 503s with Retry-After while it is down, recovery by itself", async () => {
    await allInRotation();
    const from = nginx.accessLog().length;
    const result = await underLoad(`${base}/cache/`, 1, async () => {
      await redis.stop();
      const down = await fetch(`${base}/cache/`);
      expect(down.status).toBe(503);
      expect(down.headers.get("retry-after")).toBe("5");
      await new Promise((done) => setTimeout(done, 1000));
      await redis.start();
    });
    const { byStatus, spanSeconds } = failureWindow(accessEntries(nginx.accessLog(), from));
    figures["Redis restart"] = { ...result, window: `; failed by status ${JSON.stringify(byStatus)} over ${spanSeconds} s` };
    expect(Object.keys(byStatus).filter((status) => status !== "503"), JSON.stringify(byStatus)).toEqual([]);
    expect(result.socketErrors, result.output).toBe(0);
    expect(result.non2xx).toBeLessThan(result.requests);
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await fetch(`${base}/cache/`)).status;
      if (status !== 200) await new Promise((done) => setTimeout(done, 100));
    }
    expect(status).toBe(200);
  }, 60_000);

  it("PostgreSQL restarted under load: bounded 503s while it is down, recovery by itself", async () => {
    await allInRotation();
    const from = nginx.accessLog().length;
    let [restartFrom, restartTo] = [0, 0];
    const result = await underLoad(`${base}/db/`, 1, async () => {
      restartFrom = Date.now() / 1000;
      await pgCtl(pg.socketDir, ["restart", "-m", "fast"]);
      restartTo = Date.now() / 1000;
    });
    const { byStatus, spanSeconds, first, last } = failureWindow(accessEntries(nginx.accessLog(), from));
    const at = (time: number) => (time - restartFrom).toFixed(2);
    figures["PostgreSQL restart"] = {
      ...result,
      window: `; failed by status ${JSON.stringify(byStatus)} over ${spanSeconds} s, from ${at(first)} s to ${at(last)} s after pg_ctl restart began (it returned at ${at(restartTo)} s)`,
    };
    // Every failure is a 503 answered while the server is away (reported with its span, not asserted as a time).
    // Each distinct error the instances logged (a 500 is an error not recognised as "database unreachable").
    const instanceLogs = [...new Set(instances.flatMap((instance) => instance.log.split("\n").filter((line) => /Error\b|Internal Server Error/.test(line))))].join("\n");
    expect(Object.keys(byStatus).filter((status) => status !== "503"), `${JSON.stringify(byStatus)}${nginxLog()}\n${instanceLogs}`).toEqual([]);
    expect(result.socketErrors, result.output).toBe(0);
    expect(result.non2xx).toBeLessThan(result.requests);
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await fetch(`${base}/db/`)).status;
      if (status !== 200) await new Promise((done) => setTimeout(done, 100));
    }
    expect(status).toBe(200);
  }, 90_000);
});
