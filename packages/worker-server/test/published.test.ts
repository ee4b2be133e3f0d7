/**
 * The package as npm installs it: compiled dist/, no src/, `tsgi` resolved to its own dist.
 * A JavaScript app then runs without tsx in its workers (no loader thread, no esbuild service:
 * about 38 MiB per process); a TypeScript app still works, tsx being registered on demand.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { installLikeNpm, WORKSPACE_PACKAGES, type InstalledProject } from "../../../test-support/installLikeNpm.js";
import { httpRequest } from "./fixtures/client.js";
import { cleanupMasters, startMaster } from "./fixtures/master.js";

let project: InstalledProject;
let root: string;
let bin: string;
beforeAll(() => {
  // The bin runs src/ through tsx when src/ is there: the published files must leave it out.
  expect((JSON.parse(readFileSync(join(WORKSPACE_PACKAGES, "worker-server/package.json"), "utf8")) as { files: string[] }).files).not.toContain("src");
  project = installLikeNpm(["tsgi", "worker-server"]);
  root = project.root;
  bin = join(project.packages["@tsgi/worker-server"] as string, "bin/tsgi-worker.js");
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
afterAll(() => project?.remove());

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
