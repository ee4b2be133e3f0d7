import { afterAll, describe, expect, it } from "vitest";
import { ExportNotFoundError, NotAnApplicationError, TargetNotFoundError } from "../src/errors.js";
import { loadApplication, resolveTargetModule } from "../src/target/loadApplication.js";
import { describeTarget, parseTarget } from "../src/target/parseTarget.js";
import { createTempProject } from "./helpers/temp-project.js";

const project = createTempProject({
  "apps.ts": `
export default function defaultApp() { return []; }
export const objectApp = { call() { return []; } };
export function createApp() { return (e: unknown, s: unknown) => []; }
export async function createAsyncApp() { return { call: () => [] }; }
export const notApp = 42;
export function brokenFactory() { throw new Error("factory exploded"); }
`,
  "nested/index.js": "export default () => [];\n",
});
afterAll(() => project.remove());

describe("TARGET parsing", () => {
  it.each([
    ["src/tsgi.ts:application", { modulePath: "src/tsgi.ts", exportName: "application", callFactory: false }],
    ["src/app.ts:createApp()", { modulePath: "src/app.ts", exportName: "createApp", callFactory: true }],
    ["src/app.js", { modulePath: "src/app.js", exportName: "default", callFactory: false }],
    ["./app:$app_1", { modulePath: "./app", exportName: "$app_1", callFactory: false }],
    ["C:\\work\\app.ts", { modulePath: "C:\\work\\app.ts", exportName: "default", callFactory: false }],
    ["C:\\work\\app.ts:app", { modulePath: "C:\\work\\app.ts", exportName: "app", callFactory: false }],
  ])("parses %s", (target, expected) => {
    expect(parseTarget(target)).toEqual(expected);
  });

  it("describes targets for messages", () => {
    expect(describeTarget(parseTarget("a.ts"))).toBe("a.ts (default export)");
    expect(describeTarget(parseTarget("a.ts:make()"))).toBe("a.ts:make()");
  });
});

describe("TARGET loading", () => {
  const load = (target: string) => loadApplication(parseTarget(target), { cwd: project.dir });

  it("loads the default export, a named object app, and factories (sync and async)", async () => {
    expect(typeof (await load("apps.ts"))).toBe("function");
    expect(await load("apps.ts:objectApp")).toHaveProperty("call");
    expect(typeof (await load("apps.ts:createApp()"))).toBe("function");
    expect(await load("apps.ts:createAsyncApp()")).toHaveProperty("call");
  });

  it("finds modules without extension and directory index files", () => {
    expect(resolveTargetModule(parseTarget("apps"), project.dir)).toBe(project.path("apps.ts"));
    expect(resolveTargetModule(parseTarget("nested"), project.dir)).toBe(project.path("nested/index.js"));
  });

  it("throws TargetNotFoundError for a missing module", async () => {
    await expect(load("nope.ts:app")).rejects.toBeInstanceOf(TargetNotFoundError);
    await expect(load("nope.ts:app")).rejects.toThrow(`cannot find module nope.ts (TARGET is path/to/module[:export]; there is no file ${project.path("nope.ts")})`);
  });

  it("throws ExportNotFoundError listing what the module exports", async () => {
    const error = await load("apps.ts:application").catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ExportNotFoundError);
    expect((error as ExportNotFoundError).available).toEqual(["brokenFactory", "createApp", "createAsyncApp", "default", "notApp", "objectApp"]);
  });

  it("throws NotAnApplicationError for non-apps, non-callable factories and factories returning non-apps", async () => {
    await expect(load("apps.ts:notApp")).rejects.toThrow("apps.ts:notApp is not a TSGI application (got a number;");
    await expect(load("apps.ts:notApp()")).rejects.toThrow("apps.ts:notApp is not a TSGI application (got a number, which cannot be called as a factory;");
    await expect(load("apps.ts:objectApp()")).rejects.toBeInstanceOf(NotAnApplicationError);
  });

  it("lets a factory's own error through, with its message", async () => {
    await expect(load("apps.ts:brokenFactory()")).rejects.toThrow("factory exploded");
  });
});
