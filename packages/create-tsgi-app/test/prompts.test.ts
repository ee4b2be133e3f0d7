/** The questions create-tsgi-app asks on a terminal (@clack/prompts), answered through a real pty. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";
import { KEY, runInTerminal } from "./terminal.js";

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()?.();
});
function temp() {
  const dir = tempDir();
  cleanups.push(dir.remove);
  return dir.path;
}

describe("prompts on a terminal", () => {
  it("asks for the name, template, package manager and install, then scaffolds what was chosen", async () => {
    const cwd = temp();
    const run = await runInTerminal([], cwd, [
      { prompt: "Project name", keys: `mysite${KEY.enter}` },
      { prompt: "Template?", keys: `${KEY.down}${KEY.enter}` },
      { prompt: "Package manager?", keys: `${KEY.down}${KEY.enter}` },
      { prompt: "Install dependencies now?", keys: `n${KEY.enter}` },
    ]);
    expect(run.code, run.screen).toBe(0);
    expect(run.screen).toContain("Created mysite (minimal template");
    expect(run.screen).toContain("npm install");
    expect(JSON.parse(readFileSync(join(cwd, "mysite/package.json"), "utf8")).name).toBe("mysite");
    expect(readFileSync(join(cwd, "mysite/README.md"), "utf8")).toContain("npm run dev");
    expect(existsSync(join(cwd, "mysite/node_modules"))).toBe(false);
  });

  it("asks only what the flags left out, and refuses an invalid name until it is fixed", async () => {
    const cwd = temp();
    const run = await runInTerminal(["--template", "default", "--pm", "pnpm", "--no-install"], cwd, [
      { prompt: "Project name", keys: `My Site${KEY.enter}` },
      { prompt: "use lowercase letters", keys: `${"\x7f".repeat(7)}site${KEY.enter}` },
    ]);
    expect(run.code, run.screen).toBe(0);
    expect(run.screen).not.toContain("Template?");
    expect(run.screen).not.toContain("Install dependencies now?");
    expect(run.screen).toContain("Created site (default template");
    expect(existsSync(join(cwd, "site/mysite/tsgi.ts"))).toBe(true);
  });

  it("refuses a wrong --link before asking anything", async () => {
    const cwd = temp();
    const run = await runInTerminal(["--link", cwd], cwd, []);
    expect(run.code).toBe(2);
    expect(run.screen).toContain("is not a tsgi checkout");
    expect(run.screen).not.toContain("Project name");
  });

  it("writes nothing when cancelled with Ctrl-C", async () => {
    const cwd = temp();
    const run = await runInTerminal(["--no-install"], cwd, [
      { prompt: "Project name", keys: "mysite" },
      { prompt: "mysite", keys: KEY.ctrlC },
    ]);
    expect(run.code).toBe(2);
    expect(run.screen).toContain("Cancelled: nothing was written.");
    expect(existsSync(join(cwd, "mysite"))).toBe(false);
  });
});
