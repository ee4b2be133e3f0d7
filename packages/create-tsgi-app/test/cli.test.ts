import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseCliArgs, validateProjectName, scaffold, linkedVersions, CreateAppError } from "../src/index.js";
import { WORKSPACE, runCli, tempDir } from "./helpers.js";

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});
function temp() {
  const dir = tempDir();
  cleanups.push(dir.remove);
  return dir.path;
}

describe("parseCliArgs", () => {
  it("reads the folder and every flag", () => {
    expect(parseCliArgs(["mysite", "--template", "minimal", "--pm", "npm", "--no-install"])).toEqual({
      dir: "mysite",
      template: "minimal",
      packageManager: "npm",
      install: false,
      yes: false,
      help: false,
    });
  });

  it("reads --link, the checkout whose packages the project depends on", () => {
    expect(parseCliArgs(["site", "--link", "../tsgi"]).link).toBe("../tsgi");
  });

  it.each([
    [["a", "--template", "django"], "--template must be default or minimal"],
    [["a", "--pm", "yarn"], "--pm must be pnpm or npm"],
    [["a", "b"], "expected one folder"],
    [["a", "--install", "--no-install"], "contradict"],
    [["a", "--frobnicate"], "Unknown option"],
  ])("rejects %j with a clear message", (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});

describe("validateProjectName", () => {
  it.each(["mysite", "my-site", "@me/site", "site.v2"])("accepts %s", (name) => {
    expect(validateProjectName(name)).toBeUndefined();
  });
  it.each(["My Site", "", ".hidden", "_x", "a/b/c", "x".repeat(215), "node_modules"])("rejects %j", (name) => {
    expect(validateProjectName(name)).toBeTypeOf("string");
  });
});

describe("scaffold", () => {
  it("writes the minimal template with the name filled in and a .gitignore", () => {
    const dir = join(temp(), "hello");
    const files = scaffold({ dir, name: "hello", template: "minimal" });
    expect(files).toEqual(expect.arrayContaining([".gitignore", "app.ts", "app.test.ts", "package.json", "README.md"]));
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    expect(pkg.name).toBe("hello");
    expect(pkg.dependencies.tsgi).toMatch(/^\^\d+\.\d+\.\d+$/);
    expect(readFileSync(join(dir, "app.ts"), "utf8")).toContain("Hello from hello!");
    expect(readFileSync(join(dir, "app.ts"), "utf8")).not.toContain("__");
  });

  it("refuses a non-empty folder and writes nothing", () => {
    const dir = temp();
    writeFileSync(join(dir, "keep.txt"), "mine");
    expect(() => scaffold({ dir, name: "x", template: "minimal" })).toThrow(CreateAppError);
    expect(existsSync(join(dir, "app.ts"))).toBe(false);
    expect(readFileSync(join(dir, "keep.txt"), "utf8")).toBe("mine");
  });
});

describe("scaffold with --link (a local checkout instead of the registry)", () => {
  it("points every tsgi dependency at the checkout: link: for pnpm, file: for npm", () => {
    for (const [pm, protocol] of [["pnpm", "link:"], ["npm", "file:"]] as const) {
      const dir = join(temp(), "site");
      scaffold({ dir, name: "site", template: "default", packageManager: pm, tsgiVersions: linkedVersions(WORKSPACE, pm) });
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      expect(pkg.dependencies).toMatchObject({
        tsgi: `${protocol}${join(WORKSPACE, "packages/tsgi")}`,
        "@tsgi/framework": `${protocol}${join(WORKSPACE, "packages/framework")}`,
        "@tsgi/dev-server": `${protocol}${join(WORKSPACE, "packages/dev-server")}`,
        "@tsgi/worker-server": `${protocol}${join(WORKSPACE, "packages/worker-server")}`,
      });
    }
  });

  it("refuses a folder that is not a tsgi checkout, naming it", () => {
    const dir = temp();
    expect(() => linkedVersions(dir, "pnpm")).toThrow(CreateAppError);
    expect(() => linkedVersions(dir, "pnpm")).toThrow(`${dir} is not a tsgi checkout`);
    const result = runCli(["site", "--no-install", "--link", dir], temp());
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("is not a tsgi checkout");
  });
});

describe("scaffold for npm", () => {
  it("writes npm commands in the README", () => {
    const dir = join(temp(), "site");
    scaffold({ dir, name: "site", template: "default", packageManager: "npm" });
    const readme = readFileSync(join(dir, "README.md"), "utf8");
    expect(readme).toContain("npm run dev");
    expect(readme).toContain("npm run manage collectstatic");
    expect(readme).not.toMatch(/pnpm|__RUN__/);
  });
});

describe("the create-tsgi-app command", () => {
  it("refuses a non-empty folder with a one-line message and exit code 2", () => {
    const cwd = temp();
    mkdirSync(join(cwd, "taken"));
    writeFileSync(join(cwd, "taken", ".env"), "SECRET=1");
    const result = runCli(["taken", "--no-install"], cwd);
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toMatch(/^create-tsgi-app: taken is not empty/);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
  });

  it("refuses an invalid project name", () => {
    const result = runCli(["Bad Name", "--no-install"], temp());
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("invalid project name");
  });

  it("explains a missing folder when there is no terminal to ask on", () => {
    const result = runCli(["--no-install"], temp());
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("missing <dir>");
  });

  it("scaffolds without prompts when given flags", () => {
    const cwd = temp();
    const result = runCli(["site", "--template", "minimal", "--no-install"], cwd);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Created site (minimal template");
    expect(result.stdout).toContain("pnpm install");
    expect(existsSync(join(cwd, "site", "app.ts"))).toBe(true);
  });

  it("defaults to npm when launched by npm create", () => {
    const cwd = temp();
    const result = runCli(["site", "--template", "minimal", "--no-install"], cwd, "npm/10.9.0 node/v22.0.0 linux x64");
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain("npm install\n  npm run dev");
    expect(readFileSync(join(cwd, "site", "README.md"), "utf8")).toContain("npm run dev");
  });
});
