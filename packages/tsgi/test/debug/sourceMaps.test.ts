import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { buildSync } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { SourceFiles } from "../../src/debug/sourceLines.js";
import { mapToSource } from "../../src/debug/sourceMaps.js";
import { parseStack } from "../../src/debug/stackFrames.js";

const dir = mkdtempSync(join(tmpdir(), "tsgi-debug-maps-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SOURCE = `type Order = { total: number };

export function checkout(order: Order | undefined): number {
  // a comment that shifts the compiled lines
  const total = order!.total;
  return total * 2;
}
`;

function compile(name: string, sourcemap: "linked" | "inline"): string {
  const entry = join(dir, `${name}.ts`);
  writeFileSync(entry, SOURCE);
  const outfile = join(dir, "dist", `${name}.js`);
  buildSync({ entryPoints: [entry], outfile, format: "esm", platform: "node", sourcemap, minify: true });
  return outfile;
}

describe("frames of compiled JavaScript run without source maps enabled", () => {
  it.each(["linked", "inline"] as const)("map back to the TypeScript line (%s source map)", (kind) => {
    const outfile = compile(`checkout-${kind}`, kind);
    // A plain node process, so the stack has the compiled positions (vitest would map them itself).
    const script = `import { checkout } from ${JSON.stringify(pathToFileURL(outfile).href)};\ntry { checkout(undefined); } catch (error) { process.stdout.write(error.stack); }`;
    const stack = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(stack).toContain(`${pathToFileURL(outfile).href}:1:`);
    const frame = parseStack(stack)[0]; // the throwing frame (minified, so no useful name)
    expect(frame?.file).toBe(join(dir, `checkout-${kind}.ts`));
    expect(frame?.line).toBe(5);
    expect(frame?.context.find((line) => line.current)?.text).toBe("  const total = order!.total;");
  });

  it("leaves a file without a map, or with a broken one, as it is", () => {
    const plain = join(dir, "plain.js");
    writeFileSync(plain, "export const x = 1;\n");
    const broken = join(dir, "broken.js");
    writeFileSync(broken, "export const x = 1;\n//# sourceMappingURL=broken.js.map\n");
    writeFileSync(join(dir, "broken.js.map"), "{ not json");
    const sources = new SourceFiles();
    expect(mapToSource(plain, 1, 1, sources)).toBeUndefined();
    expect(mapToSource(broken, 1, 1, sources)).toBeUndefined();
    expect(mapToSource(join(dir, "missing.js"), 1, 1, sources)).toBeUndefined();
    expect(mapToSource(join(dir, "checkout.ts"), 1, 1, sources)).toBeUndefined();
  });
});
