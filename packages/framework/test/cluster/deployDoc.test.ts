/**
 * docs/deploy.md's configuration blocks: every nginx and systemd block is marked `<!-- tested: NAME -->`
 * and is run (nginx-http and nginx-tls by faults.test.ts, nginx-uwsgi by uwsgi.test.ts); here `nginx -t`
 * checks them all together, the systemd unit is verified by systemd-analyze and its ExecStart options
 * by tsgi-worker's own --check-config.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEPLOY_GUIDE, deployBlock, nginxConf } from "../../../../test-support/deployDoc.js";
import { makeProject, packageDir } from "./cluster.js";

const dir = mkdtempSync(join(tmpdir(), "tsgi-deploy-doc-"));
let project: string | undefined;
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (project !== undefined) rmSync(project, { recursive: true, force: true });
});

/** The tested blocks and the suites that run them. */
const TESTED = { "nginx-http": "faults.test.ts", "nginx-tls": "faults.test.ts", "nginx-uwsgi": "uwsgi.test.ts", systemd: "deployDoc.test.ts", "systemd-socket": "deployDoc.test.ts" };

describe("docs/deploy.md configuration blocks", () => {
  const doc = readFileSync(DEPLOY_GUIDE, "utf8");

  it("every nginx and systemd block is a tested one, and every tested block is run by a suite", () => {
    const blocks = [...doc.matchAll(/(?:<!-- tested: ([\w-]+) -->\n)?```(nginx|ini)\n/g)].map((match) => ({ name: match[1], language: match[2] }));
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks.filter((block) => block.name === undefined), "a config block without <!-- tested: NAME -->").toEqual([]);
    expect(blocks.map((block) => block.name).sort()).toEqual(Object.keys(TESTED).sort());
  });

  it.skipIf(spawnSync("/usr/sbin/nginx", ["-v"]).status !== 0)("nginx -t accepts the nginx blocks together, placeholders filled as the tests fill them", () => {
    const values: Record<string, string> = {
      UPSTREAM_SERVERS: "server 10.0.0.11:8000 max_fails=2 fail_timeout=5s;",
      UWSGI_SERVERS: "server unix:/run/site/uwsgi.sock max_fails=2 fail_timeout=5s;",
      LISTEN: "127.0.0.1:8080",
      STATIC_ROOT: dir,
    };
    const blocks = ["nginx-http", "nginx-uwsgi"];
    if (spawnSync("openssl", ["version"]).status === 0) {
      const made = spawnSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")]);
      expect(made.status).toBe(0);
      Object.assign(values, { LISTEN_HTTPS: "127.0.0.1:8443", LISTEN_REDIRECT: "127.0.0.1:8081", SERVER_NAME: "localhost", CERTIFICATE: join(dir, "cert.pem"), CERTIFICATE_KEY: join(dir, "key.pem") });
      blocks.push("nginx-tls");
    }
    // The uwsgi block listens on LISTEN too: give it its own port, as uwsgi.test.ts's own nginx has.
    const conf = nginxConf(dir, values, { blocks }).replace(/(upstream tsgi_uwsgi[\s\S]*?listen )127\.0\.0\.1:8080/, "$1127.0.0.1:8082");
    writeFileSync(join(dir, "nginx.conf"), conf);
    const result = spawnSync("/usr/sbin/nginx", ["-t", "-p", dir, "-c", join(dir, "nginx.conf"), "-e", join(dir, "error.log")], { encoding: "utf8", timeout: 30_000 });
    expect(result.stderr).toMatch(/test is successful/);
    expect(result.stderr).not.toMatch(/\[(warn|emerg)\]/);
  });
});

const noAnalyze = spawnSync("systemd-analyze", ["--version"]).error !== undefined ? "systemd-analyze is not installed (Debian package systemd)" : undefined;

describe("docs/deploy.md systemd unit", () => {
  const unit = deployBlock("systemd", {});

  it.skipIf(noAnalyze !== undefined)("passes systemd-analyze verify, with its site.socket unit", () => {
    const file = join(dir, "site.service");
    writeFileSync(file, unit);
    const socket = join(dir, "site.socket");
    writeFileSync(socket, deployBlock("systemd-socket", {}));
    const result = spawnSync("systemd-analyze", ["verify", socket, file], { encoding: "utf8", timeout: 30_000 });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("its ExecStart options are ones tsgi-worker accepts (--check-config)", () => {
    const execStart = /^ExecStart=\S+ node_modules\/\.bin\/tsgi-worker (.*)$/m.exec(unit)?.[1];
    expect(execStart).toBeDefined();
    const args = (execStart as string).split(" ").filter((arg) => arg !== "tsgi.ts:application");
    project = makeProject();
    const pid = join(dir, "tsgi.pid");
    const fixed = args.map((arg) => (arg === "/run/site/tsgi.pid" ? pid : arg === "0.0.0.0:8000" ? "127.0.0.1:0" : arg));
    const result = spawnSync(process.execPath, [join(packageDir, "..", "worker-server", "bin", "tsgi-worker.js"), ...fixed, "--check-config", "tsgi.ts:application"], {
      cwd: project,
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, CLUSTER_DATABASE: JSON.stringify({ ENGINE: "sqlite", NAME: ":memory:" }), CLUSTER_REDIS: "redis://127.0.0.1:1/0" },
    });
    expect(result.stderr + result.stdout).not.toMatch(/error|unknown/i);
    expect(result.status).toBe(0);
  }, 90_000);
});
