import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  describeTarget,
  ExportNotFoundError,
  InvalidTargetError,
  loadTarget,
  NotAnApplicationError,
  parseTarget,
  resolveTargetModule,
  TargetError,
  TargetLoadError,
  TargetNotFoundError,
} from "../../src/helpers/index.js";

const dir = mkdtempSync(join(tmpdir(), "tsgi-target-"));
writeFileSync(
  join(dir, "apps.mjs"),
  `export default function defaultApp() { return []; }
export const objectApp = { call() { return []; } };
export function createApp() { return () => []; }
export async function createAsyncApp() { return { call: () => [] }; }
export const notApp = 42;
export function brokenFactory() { throw new Error("factory exploded"); }
`,
);
writeFileSync(join(dir, "throws.mjs"), `throw new RangeError("import exploded");\n`);
mkdirSync(join(dir, "nested"));
writeFileSync(join(dir, "nested", "index.js"), "export default () => [];\n");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("parseTarget", () => {
  it.each([
    ["src/tsgi.ts:application", { modulePath: "src/tsgi.ts", exportName: "application", callFactory: false }],
    ["src/app.ts:createApp()", { modulePath: "src/app.ts", exportName: "createApp", callFactory: true }],
    ["src/app.js", { modulePath: "src/app.js", exportName: "default", callFactory: false }],
    [" ./app:$app_1 ", { modulePath: "./app", exportName: "$app_1", callFactory: false }],
    ["C:\\work\\app.ts", { modulePath: "C:\\work\\app.ts", exportName: "default", callFactory: false }],
    ["C:\\work\\app.ts:app", { modulePath: "C:\\work\\app.ts", exportName: "app", callFactory: false }],
  ])("parses %s", (target, expected) => {
    expect(parseTarget(target)).toEqual(expected);
  });

  it.each([
    ["", "missing TARGET"],
    ["app.ts:not-an-identifier", 'invalid export "not-an-identifier"'],
    ["app.ts:", 'invalid export ""'],
    [":app", "missing module path in TARGET :app"],
  ])("refuses %j", (target, message) => {
    expect(() => parseTarget(target)).toThrow(InvalidTargetError);
    expect(() => parseTarget(target)).toThrow(message);
  });

  it("describes targets for messages", () => {
    expect(describeTarget(parseTarget("a.ts"))).toBe("a.ts (default export)");
    expect(describeTarget(parseTarget("a.ts:make()"))).toBe("a.ts:make()");
  });
});

describe("resolveTargetModule", () => {
  it("takes a path with an extension as it is, else tries each extension and index files", () => {
    expect(resolveTargetModule(parseTarget("apps.mjs"), dir)).toBe(join(dir, "apps.mjs"));
    expect(resolveTargetModule(parseTarget("apps"), dir)).toBe(join(dir, "apps.mjs"));
    expect(resolveTargetModule(parseTarget(join(dir, "nested")), "/")).toBe(join(dir, "nested", "index.js"));
  });

  it("says which files it looked for", () => {
    expect(() => resolveTargetModule(parseTarget("nope.ts"), dir)).toThrow(`cannot find module nope.ts (TARGET is path/to/module[:export]; there is no file ${join(dir, "nope.ts")})`);
    expect(() => resolveTargetModule(parseTarget("nope"), dir)).toThrow(
      `cannot find module nope (TARGET is path/to/module[:export]; looked for ${join(dir, "nope")} with .ts, .mts, .tsx, .js, .mjs, .cjs or .cts added, and for ${join(dir, "nope", "index")}.ts or .js)`,
    );
    expect(() => resolveTargetModule(parseTarget("nope"), dir)).toThrow(TargetNotFoundError);
  });
});

describe("loadTarget", () => {
  const load = (target: string) => loadTarget(parseTarget(target), { cwd: dir });

  it("loads the default export, a named object app, and factories (sync and async)", async () => {
    expect(typeof (await load("apps.mjs"))).toBe("function");
    expect(await load("apps.mjs:objectApp")).toHaveProperty("call");
    expect(typeof (await load("apps:createApp()"))).toBe("function");
    expect(await load("apps:createAsyncApp()")).toHaveProperty("call");
  });

  it("calls beforeImport with the file first", async () => {
    const seen: string[] = [];
    await loadTarget(parseTarget("nested"), { cwd: dir, beforeImport: (file) => void seen.push(file) });
    expect(seen).toEqual([join(dir, "nested", "index.js")]);
  });

  it("throws typed errors that name the fix", async () => {
    const exportError = await load("apps.mjs:nope").catch((error: unknown) => error);
    expect(exportError).toBeInstanceOf(ExportNotFoundError);
    expect((exportError as Error).message).toBe('apps.mjs has no export named "nope" (exports: brokenFactory, createApp, createAsyncApp, default, notApp, objectApp)');
    await expect(load("apps.mjs:notApp")).rejects.toThrow("apps.mjs:notApp is not a TSGI application (got a number;");
    await expect(load("apps.mjs:notApp()")).rejects.toThrow("apps.mjs:notApp is not a TSGI application (got a number, which cannot be called as a factory;");
    await expect(load("apps.mjs:objectApp()")).rejects.toBeInstanceOf(NotAnApplicationError);
    for (const target of ["apps.mjs:nope", "apps.mjs:notApp", "nope.mjs"]) await expect(load(target)).rejects.toBeInstanceOf(TargetError);
  });

  it("wraps an import or a factory that throws, keeping the app's error as the cause", async () => {
    const imported = (await load("throws.mjs").catch((error: unknown) => error)) as TargetLoadError;
    expect(imported).toBeInstanceOf(TargetLoadError);
    expect(imported.during).toBe("import");
    expect(imported.message).toBe(`cannot import ${join(dir, "throws.mjs")}: RangeError: import exploded`);
    expect((imported.cause as Error).message).toBe("import exploded");
    const factory = (await load("apps.mjs:brokenFactory()").catch((error: unknown) => error)) as TargetLoadError;
    expect([factory.during, factory.message, (factory.cause as Error).message]).toEqual(["factory", `brokenFactory() in ${join(dir, "apps.mjs")} threw: Error: factory exploded`, "factory exploded"]);
  });
});
