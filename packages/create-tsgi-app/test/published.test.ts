/**
 * create-tsgi-app as npm installs it (what `npm create tsgi-app` runs): compiled dist/, no src/,
 * templates shipped. The bin must scaffold from there (it loads tsx only to run the sources).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installLikeNpm, type InstalledProject } from "../../../test-support/installLikeNpm.js";

let project: InstalledProject;
let folder: string;

beforeAll(() => {
  project = installLikeNpm(["create-tsgi-app"]);
  folder = project.packages["create-tsgi-app"] as string;
}, 180_000);
afterAll(() => project?.remove());

describe("the published create-tsgi-app", () => {
  it("ships dist/ and the templates, not the sources", () => {
    expect(existsSync(join(folder, "src"))).toBe(false);
    expect(existsSync(join(folder, "dist/cli.js"))).toBe(true);
    expect(existsSync(join(folder, "templates/minimal/app.ts"))).toBe(true);
  });

  it("scaffolds a project from dist/, pinning the tsgi packages to its own version", () => {
    const result = spawnSync(process.execPath, [join(folder, "bin/create-tsgi-app.js"), "site", "--template", "minimal", "--no-install"], {
      cwd: project.root,
      encoding: "utf8",
      env: { ...process.env, CI: "1", npm_config_user_agent: "npm/10.9.0 node/v22.0.0 linux x64" },
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Created site (minimal template");
    const own = (JSON.parse(readFileSync(join(folder, "package.json"), "utf8")) as { version: string }).version;
    const site = JSON.parse(readFileSync(join(project.root, "site/package.json"), "utf8")) as { dependencies: Record<string, string> };
    expect(site.dependencies.tsgi).toBe(`^${own}`);
    expect(existsSync(join(project.root, "site/app.ts"))).toBe(true);
  });
});
