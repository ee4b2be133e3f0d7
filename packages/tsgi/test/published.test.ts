/**
 * tsgi as npm installs it (compiled dist/, publishConfig exports, no tsx: it is only a
 * devDependency). `cgiModuleCommand` must point at the compiled CGI script, run a JavaScript
 * module without tsx, and ask for tsx by name for a TypeScript module until the project has it.
 */
import { existsSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { installLikeNpm, type InstalledProject } from "../../../test-support/installLikeNpm.js";
import type * as Tsgi from "../src/index.js";
import { listen } from "./fetch/helpers.js";

let project: InstalledProject;
let tsgi: typeof Tsgi;
const closers: Array<() => Promise<void>> = [];

// Each app says which language it was written in, so a response proves which module ran.
const APP = (language: string) => `export const application = (environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  return [new TextEncoder().encode("${language} app at " + environ.PATH_INFO)];
};\n`;

beforeAll(async () => {
  project = installLikeNpm(["tsgi"]);
  writeFileSync(join(project.root, "app.mjs"), APP("JavaScript"));
  writeFileSync(join(project.root, "app.ts"), `import type { Application } from "tsgi";\n${APP("TypeScript").replace("application =", "application: Application =")}`);
  // Resolved as the project resolves "tsgi": through the published exports.
  const entry = createRequire(join(project.root, "package.json")).resolve("tsgi");
  tsgi = (await import(pathToFileURL(entry).href)) as typeof Tsgi;
}, 180_000);
afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});
afterAll(() => project?.remove());

async function serve(command: Tsgi.CgiCommand): Promise<string> {
  const { url, close } = await listen(tsgi.serveCgi(command));
  closers.push(close);
  return url;
}

describe("the published tsgi", () => {
  it("exports its package.json and resolves its entry points to dist/", () => {
    const require = createRequire(join(project.root, "package.json"));
    const folder = project.packages.tsgi as string;
    expect(require.resolve("tsgi/package.json")).toBe(join(folder, "package.json"));
    expect(require.resolve("tsgi")).toBe(join(folder, "dist/index.js"));
    expect(require.resolve("tsgi/debug")).toBe(join(folder, "dist/debug/index.js"));
    expect(require.resolve("tsgi/helpers")).toBe(join(folder, "dist/helpers/index.js"));
  });

  it("tsgi/debug from dist/ counts the installed tsgi's own frames as library code", async () => {
    const require = createRequire(join(project.root, "package.json"));
    const debug = (await import(pathToFileURL(require.resolve("tsgi/debug")).href)) as typeof import("../src/debug/index.js");
    const installed = join(project.packages.tsgi as string, "dist/server/runApplication.js");
    const frames = debug.parseStack(`Error: x\n    at view (${join(project.root, "app.mjs")}:1:1)\n    at run (${installed}:10:1)`);
    expect(frames.map((frame) => [frame.functionName, frame.isApplicationCode])).toEqual([["view", true], ["run", false]]);
  });

  it("cgiModuleCommand runs a JavaScript module through the compiled runModule.js, without tsx", async () => {
    const command = tsgi.cgiModuleCommand(join(project.root, "app.mjs"), { resolveFrom: project.root });
    const script = command[1] as string;
    expect(script).toBe(join(project.packages.tsgi as string, "dist/cgi/runModule.js"));
    expect(existsSync(script)).toBe(true);
    expect(command).not.toContain("--import");
    const response = await fetch(`${await serve(command)}/hello`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("JavaScript app at /hello");
  });

  it("cgiModuleCommand asks for tsx for a TypeScript module when the project lacks it", () => {
    expect(() => tsgi.cgiModuleCommand(join(project.root, "app.ts"), { resolveFrom: project.root })).toThrow(/cannot find tsx from .*pnpm add -D tsx/);
  });

  it("cgiModuleCommand runs a TypeScript module through tsx from a project that has it", async () => {
    // A second project next to the first, with tsx installed (the workspace's copy, as `pnpm add -D tsx` would).
    const site = join(project.root, "site");
    mkdirSync(join(site, "node_modules"), { recursive: true });
    writeFileSync(join(site, "package.json"), JSON.stringify({ name: "typed-site", private: true, type: "module" }));
    symlinkSync(realpathSync(fileURLToPath(new URL("../node_modules/tsx", import.meta.url))), join(site, "node_modules", "tsx"), "dir");
    const command = tsgi.cgiModuleCommand(join(project.root, "app.ts"), { resolveFrom: site });
    expect(command.slice(1, 3)).toEqual(["--import", pathToFileURL(createRequire(join(site, "package.json")).resolve("tsx")).href]);
    expect(command[3]).toBe(join(project.packages.tsgi as string, "dist/cgi/runModule.js"));
    const response = await fetch(`${await serve(command)}/typed`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("TypeScript app at /typed");
  });
});
