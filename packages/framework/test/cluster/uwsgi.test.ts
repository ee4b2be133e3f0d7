/**
 * Issue 17, uwsgi: nginx with docs/deploy.md's `nginx-uwsgi` block in front of two `tsgi-worker
 * --protocol uwsgi` instances, one on a TCP port and one on a unix socket; the project of the cluster
 * tests on SQLite (no view here touches the database or Redis). wrk counts failures under a SIGKILL.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Instance, clusterUnavailable, freePort, makeProject, manage, startNginx, underLoad, type Nginx } from "./cluster.js";

const skip = clusterUnavailable();
let nginx: Nginx;
let root: string;
let sockets: string;
const instances: Instance[] = [];
let base = "";

beforeAll(async () => {
  if (skip !== undefined) return;
  root = makeProject();
  sockets = mkdtempSync(join(tmpdir(), "tsgi-cluster-uwsgi-"));
  // Redis is never reached by these views: the client connects lazily, so an unused address will do.
  const env = { CLUSTER_DATABASE: JSON.stringify({ ENGINE: "sqlite", NAME: join(root, "db.sqlite3") }), CLUSTER_REDIS: "redis://127.0.0.1:1/0" };
  const collected = await manage(root, env, ["collectstatic", "--noinput"]);
  if (collected.code !== 0) throw new Error(collected.output);
  instances.push(new Instance(1, await freePort(), root, env, undefined, "uwsgi"));
  instances.push(new Instance(2, 0, root, env, undefined, "uwsgi", join(sockets, "uwsgi.sock")));
  await Promise.all(instances.map((instance) => instance.start()));
  nginx = await startNginx(instances, join(root, "staticroot"), ["nginx-uwsgi"]);
  base = `http://127.0.0.1:${nginx.port}`;
}, 120_000);

afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.kill()));
  await nginx?.stop();
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
  if (sockets !== undefined) rmSync(sockets, { recursive: true, force: true });
}, 60_000);

const text = async (path: string) => (await fetch(`${base}${path}`)).text();

/**
 * Resolves once both instances answer through nginx, or after 60 s. Every attempt is 50 ms apart: after a
 * SIGKILL nginx leaves the instance out for its fail_timeout (5 s), which back-to-back requests would outrun.
 */
async function bothAnswer(): Promise<Set<string>> {
  const seen = new Set<string>();
  for (let i = 0; i < 1200 && seen.size < 2; i++) {
    const instance = /instance (\d)/.exec(await text("/").catch(() => ""))?.[1];
    if (instance !== undefined) seen.add(instance);
    if (seen.size < 2) await new Promise((done) => setTimeout(done, 50));
  }
  return seen;
}

describe.skipIf(skip !== undefined)("nginx uwsgi_pass to instances over TCP and a unix socket", () => {
  it("balances over both; the environ comes from nginx's uwsgi_params", async () => {
    expect([...(await bothAnswer())].sort()).toEqual(["1", "2"]);
    const client = JSON.parse(await text("/client/")) as { remote: string; scheme: string; host: string };
    expect(client.remote).toBe("127.0.0.1");
    expect(client.scheme).toBe("http");
    expect(client.host).toMatch(/^127\.0\.0\.1(:\d+)?$/);
    // The upstream addresses nginx used, as its access log names them: a port and the socket.
    const upstreams = new Set(nginx.accessLog().map((line) => /"([^"]*)" "[^"]*" \S+$/.exec(line)?.[1]));
    expect([...upstreams].some((upstream) => upstream?.startsWith("unix:"))).toBe(true);
    expect([...upstreams].some((upstream) => upstream === `127.0.0.1:${instances[0]?.port}`)).toBe(true);
  }, 60_000);

  it("SIGKILL of the TCP instance under load: GETs retried on the unix-socket one (uwsgi_next_upstream), zero failed", async () => {
    await bothAnswer();
    const victim = instances[0] as Instance;
    const result = await underLoad(`${base}/`, 1, async () => {
      await victim.kill();
      await new Promise((done) => setTimeout(done, 1000));
      await victim.start();
    });
    process.stdout.write(`\nuwsgi SIGKILL: ${result.requests} requests, ${result.non2xx} non-2xx, ${result.socketErrors} socket errors, slowest ${result.maxLatency}\n`);
    expect(result.requests).toBeGreaterThan(0);
    expect(result.socketErrors, result.output).toBe(0);
    expect(result.non2xx, result.output).toBe(0);
    expect([...(await bothAnswer())].sort()).toEqual(["1", "2"]);
  }, 90_000);
});
