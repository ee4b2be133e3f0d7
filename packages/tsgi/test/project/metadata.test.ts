/**
 * The repository as a new user and a package registry meet it (issue 19, items 6, 9 and 13): a LICENSE and
 * repository links in every package, a kept CHANGELOG, the README's two quick-start commands and its word
 * on publishing, and a quick benchmark that writes only where git ignores.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(fileURLToPath(new URL(".", import.meta.url)), "../../../..");
const PACKAGES = readdirSync(join(ROOT, "packages")).filter((name) => existsSync(join(ROOT, "packages", name, "package.json")));

describe("project metadata", () => {
  it.each(PACKAGES)("packages/%s has an MIT LICENSE and repository, homepage and bugs links", (name) => {
    const dir = join(ROOT, "packages", name);
    expect(readFileSync(join(dir, "LICENSE"), "utf8")).toContain("MIT License");
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Record<string, unknown>;
    expect(pkg.license).toBe("MIT");
    expect(pkg.repository).toMatchObject({ type: "git", directory: `packages/${name}` });
    expect(String(pkg.homepage)).toContain(`packages/${name}`);
    expect(pkg.bugs).toHaveProperty("url");
  });

  it("keeps a CHANGELOG with an Unreleased section and a root LICENSE", () => {
    expect(readFileSync(join(ROOT, "LICENSE"), "utf8")).toContain("MIT License");
    expect(readFileSync(join(ROOT, "CHANGELOG.md"), "utf8")).toMatch(/^## Unreleased$/m);
  });

  it("shows the two quick-start commands, and says the packages are not published yet next to create-tsgi-app", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    expect(readme).toContain("npm i -g pnpm@10 && pnpm install && pnpm dev");
    expect(readme).toMatch(/^pnpm test\b/m);
    expect(readme).toMatch(/not on the npm registry yet/);
    expect(readme).toContain("--link");
  });

  it("a quick benchmark writes only to a folder git ignores, and installs system packages only when asked", () => {
    const run = readFileSync(join(ROOT, "bench/run.ts"), "utf8");
    expect(run).toContain('quick ? "bench/results/quick" : "bench/results"');
    expect(run).toContain('!values["no-readme"] && !quick');
    expect(run).toContain('values["install-peers"]');
    expect(readFileSync(join(ROOT, ".gitignore"), "utf8").split("\n")).toContain("bench/results/quick/");
  });
});
