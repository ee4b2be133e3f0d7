import { describe, expect, it } from "vitest";
import { createInputStream } from "../../src/index.js";

const chunks = (...parts: string[]) => parts.map((p) => new TextEncoder().encode(p));
const text = (b: Uint8Array) => Buffer.from(b).toString();

describe("createInputStream", () => {
  it("reads sizes across chunk boundaries and returns empty at the end", async () => {
    const input = createInputStream(chunks("hel", "lo wo", "rld"));
    expect(text(await input.read(4))).toBe("hell");
    expect(text(await input.read(5))).toBe("o wor");
    expect(text(await input.read())).toBe("ld");
    expect((await input.read()).length).toBe(0);
  });

  it("reads lines with and without a limit", async () => {
    const input = createInputStream(chunks("ab\ncd", "ef\n", "tail"));
    expect(text(await input.readline())).toBe("ab\n");
    expect(text(await input.readline(2))).toBe("cd");
    expect(text(await input.readline())).toBe("ef\n");
    expect(text(await input.readline())).toBe("tail");
    expect((await input.readline()).length).toBe(0);
  });

  it("iterates lines like a Python file and supports readlines(hint)", async () => {
    const lines: string[] = [];
    for await (const line of createInputStream(chunks("a\nb", "\nc"))) lines.push(text(line));
    expect(lines).toEqual(["a\n", "b\n", "c"]);
    const some = await createInputStream(chunks("1\n2\n3\n")).readlines(3);
    expect(some.map(text)).toEqual(["1\n", "2\n"]);
  });

  it("calls onFirstRead once, only when the app reads", async () => {
    let calls = 0;
    const input = createInputStream(chunks("x"), { onFirstRead: () => calls++ });
    expect(calls).toBe(0);
    await input.read(0);
    expect(calls).toBe(0);
    await input.read(1);
    await input.read(1);
    expect(calls).toBe(1);
  });

  it.each<[string, (input: ReturnType<typeof createInputStream>) => Promise<unknown>]>([
    ["read()", (input) => input.read()],
    ["readline()", (input) => input.readline()],
    ["readlines()", (input) => input.readlines()],
    ["async iteration", async (input) => { for await (const line of input) void line; }],
  ])("calls onFirstRead (100 Continue) once when the app first uses %s", async (_name, use) => {
    let calls = 0;
    const input = createInputStream(chunks("a\nb"), { onFirstRead: () => calls++ });
    await use(input);
    await input.read();
    expect(calls).toBe(1);
  });

  it("reads everything for a negative size or limit, as Python files do", async () => {
    expect(text(await createInputStream(chunks("ab", "cd")).read(-1))).toBe("abcd");
    expect(text(await createInputStream(chunks("ab", "cd\nx")).readline(-1))).toBe("abcd\n");
  });

  it("never reuses its own buffers for bytes it already gave the app", async () => {
    const input = createInputStream(chunks("ab", "c\nde", "f\ngh", "ij"));
    const given = [await input.read(1), await input.readline(), await input.read(3), await input.readline(), await input.read(), await input.read()];
    expect(given.map(text)).toEqual(["a", "bc\n", "def", "\n", "ghij", ""]);
  });
});
