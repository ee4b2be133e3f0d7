/**
 * The package as npm installs it: compiled dist/, no src/, `tsgi` resolved to its own dist.
 * A JavaScript app then runs without tsx in its workers (no loader thread, no esbuild service:
 * about 38 MiB per process); a TypeScript app still works, tsx being registered on demand.
 */
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { httpRequest } from "./fixtures/client.js";
import { cleanupMasters, startMaster } from "./fixtures/master.js";

const PACKAGES = fileURLToPath(new URL("../..", import.meta.url));
const TSC = join(PACKAGES, "worker-server/node_modules/typescript/bin/tsc");
let root: string;

/** Copies a package as `npm install` would lay it out: its `files`, and publishConfig applied to package.json. */
function installPackage(name: string, folder: string): string {
  const source = join(PACKAGES, folder);
  const target = join(root, "node_modules", name);
  mkdirSync(target, { recursive: true });
  execFileSync(process.execPath, [TSC, "-p", join(source, "tsconfig.build.json"), "--outDir", join(target, "dist"), "--declaration", "false", "--sourceMap", "false"]);
  const manifest = JSON.parse(readFileSync(join(source, "package.json"), "utf8")) as Record<string, unknown> & { publishConfig?: Record<string, unknown>; files?: string[] };
  writeFileSync(join(target, "package.json"), JSON.stringify({ ...manifest, ...manifest.publishConfig }, null, 2));
  if (manifest.files?.includes("bin")) cpSync(join(source, "bin"), join(target, "bin"), { recursive: true });
  return target;
}

let bin: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "tsgi-published-"));
  installPackage("tsgi", "tsgi");
  bin = join(installPackage("@tsgi/worker-server", "worker-server"), "bin/tsgi-worker.js");
  // The bin runs src/ through tsx when src/ is there: the published files must leave it out.
  expect((JSON.parse(readFileSync(join(PACKAGES, "worker-server/package.json"), "utf8")) as { files: string[] }).files).not.toContain("src");
  for (const dependency of ["tsx", "chokidar", "picocolors"]) {
    symlinkSync(realpathSync(join(PACKAGES, "worker-server/node_modules", dependency)), join(root, "node_modules", dependency));
  }
  writeFileSync(join(root, "package.json"), JSON.stringify({ name: "site", private: true, type: "module" }));
  // Each app reports whether this process can import a .ts file: only with tsx registered.
  const answer = (language: string) =>
    `async (environ, startResponse) => {
  const loader = await import("./probe.ts").then(() => "TypeScript loader present", (error) => error.code === "ERR_UNKNOWN_FILE_EXTENSION" ? "no TypeScript loader" : String(error));
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  return [new TextEncoder().encode("${language} app, " + loader)];
}`;
  writeFileSync(join(root, "probe.ts"), "export const probe: number = 1;\n");
  writeFileSync(join(root, "app.mjs"), `export const application = ${answer("JavaScript")};\n`);
  writeFileSync(join(root, "app.ts"), `import type { Application } from "tsgi";\nexport const application: Application = ${answer("TypeScript")};\n`);
}, 180_000);
afterEach(cleanupMasters);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("the published package", () => {
  it("serves a JavaScript app from dist/, with no TypeScript loader in its workers", async () => {
    const master = startMaster(["-w", "2", "-b", "127.0.0.1:0", "app.mjs:application"], { bin, cwd: root });
    const url = await master.url();
    await master.waitForCount(/Worker ready/, 2);
    const response = await httpRequest(`${url}/`);
    expect(response.status).toBe(200);
    expect(response.body).toBe("JavaScript app, no TypeScript loader");
  });

  it("serves a TypeScript app, registering tsx on demand", async () => {
    const master = startMaster(["-w", "1", "-b", "127.0.0.1:0", "app.ts:application"], { bin, cwd: root });
    const url = await master.url();
    await master.waitFor(/Worker ready/);
    const response = await httpRequest(`${url}/`);
    expect(response.status).toBe(200);
    expect(response.body).toBe("TypeScript app, TypeScript loader present");
  });
});
