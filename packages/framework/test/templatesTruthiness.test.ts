import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nunjucks from "nunjucks";
import { afterAll, describe, expect, it } from "vitest";
import { defineSettings, getTemplateEngine, path, renderTemplate } from "../src/index.js";
import { djangoTruthy } from "../src/templates/nunjucksTruth.js";

const dir = mkdtempSync(join(tmpdir(), "truthiness-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const settings = defineSettings({
  SECRET_KEY: "t".repeat(50),
  ALLOWED_HOSTS: ["testserver"],
  TEMPLATES: { DIRS: [dir] },
  urlpatterns: [path("x/", () => { throw new Error("unused"); }, { name: "x" })],
});
const engine = getTemplateEngine(settings);
let count = 0;
function renderSource(source: string, context: Record<string, unknown> = {}): Promise<string> {
  const name = `t${count++}.html`;
  writeFileSync(join(dir, name), source);
  return renderTemplate(engine, name, context);
}
const ifTemplate = "{% if v %}T{% else %}F{% endif %}";

describe("Django truthiness in the framework's templates", () => {
  it.each([
    ["[]", [], "F"],
    ["[0]", [0], "T"],
    ['""', "", "F"],
    ["0", 0, "F"],
    ["{}", {}, "F"],
    ["{a: 0}", { a: 0 }, "T"],
    ["empty Map", new Map(), "F"],
    ["empty Set", new Set(), "F"],
    ["Set with one item", new Set([1]), "T"],
    ["null", null, "F"],
    ["a Date", new Date(0), "T"],
    ["an empty SafeString", new nunjucks.runtime.SafeString(""), "F"],
  ])("{%% if %%} on %s", async (_label, value, expected) => {
    expect(await renderSource(ifTemplate, { v: value })).toBe(expected);
  });

  it("elif, not, and, or and the inline if follow the same rule", async () => {
    expect(await renderSource("{% if a %}A{% elif b %}B{% else %}C{% endif %}", { a: [], b: [1] })).toBe("B");
    expect(await renderSource("{% if not a %}empty{% endif %}", { a: [] })).toBe("empty");
    expect(await renderSource("{% if a and b %}both{% else %}no{% endif %}", { a: [], b: true })).toBe("no");
    expect(await renderSource("{% if a or b %}one{% else %}none{% endif %}", { a: [], b: {} })).toBe("none");
    expect(await renderSource("{{ 'yes' if a else 'no' }}", { a: [] })).toBe("no");
    expect(await renderSource("{{ a or 'fallback' }}|{{ b and 'x' }}", { a: "", b: "ok" })).toBe("fallback|x");
  });

  it("`and`/`or` still short-circuit", async () => {
    let calls = 0;
    const f = () => ++calls;
    expect(await renderSource("{% if a and f() %}x{% endif %}{% if b or f() %}y{% endif %}", { a: [], b: [1], f })).toBe("y");
    expect(calls).toBe(0);
  });

  it("a plain nunjucks environment keeps JavaScript's rules", () => {
    const plain = new nunjucks.Environment();
    expect(plain.renderString(ifTemplate, { v: [] })).toBe("T");
    expect(plain.renderString("{% if not v %}e{% endif %}{{ v or 'f' }}", { v: {} })).toBe("[object Object]");
  });

  it("djangoTruthy", () => {
    expect([[], [0], "", 0, {}, "a", NaN, false].map(djangoTruthy)).toEqual([false, true, false, false, false, true, false, false]);
  });
});
