/**
 * docs/deploy.md's blocks that are not exercised by the cluster tests' traffic: the systemd unit is
 * verified by systemd-analyze and its ExecStart options by tsgi-worker's own --check-config.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { deployBlock } from "../../../../test-support/deployDoc.js";
import { makeProject, packageDir } from "./cluster.js";

const dir = mkdtempSync(join(tmpdir(), "tsgi-deploy-doc-"));
let project: string | undefined;
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (project !== undefined) rmSync(project, { recursive: true, force: true });
});

const noAnalyze = spawnSync("systemd-analyze", ["--version"]).error !== undefined ? "systemd-analyze is not installed (Debian package systemd)" : undefined;

describe("docs/deploy.md systemd unit", () => {
  const unit = deployBlock("systemd", {});

  it.skipIf(noAnalyze !== undefined)("passes systemd-analyze verify", () => {
    const file = join(dir, "site.service");
    writeFileSync(file, unit);
    const result = spawnSync("systemd-analyze", ["verify", file], { encoding: "utf8", timeout: 30_000 });
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
