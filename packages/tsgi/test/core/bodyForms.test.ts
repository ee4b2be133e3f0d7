import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { callApp, type Application, type ResponseBody } from "../../src/index.js";

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

/** An app answering 200 text/plain with the body `make()` builds. */
const serving = (make: () => ResponseBody): Application => (_environ, startResponse) => {
  startResponse("200 OK", [["Content-Type", "text/plain"]]);
  return make();
};

// SPEC.md, "The Response Body": every one of these qualifies as a body.
describe("the body forms SPEC.md allows", () => {
  it("uses Symbol.iterator when a body has both iterators, and pulls nothing from the other", async () => {
    let asyncPulled = false;
    const body = {
      *[Symbol.iterator]() {
        yield encode("sync");
      },
      async *[Symbol.asyncIterator]() {
        asyncPulled = true;
        yield encode("async");
      },
    };
    const response = await callApp(serving(() => body));
    expect(response.text()).toBe("sync");
    expect(asyncPulled).toBe(false);
  });

  it.each<[string, () => ResponseBody]>([
    ["an array", () => [encode("a"), encode("b"), encode("c")]],
    ["a generator", () => (function* () { yield encode("a"); yield encode("b"); yield encode("c"); })()],
    ["an async generator", () => (async function* () { yield encode("a"); yield encode("bc"); })()],
    ["a node:stream Readable of bytes", () => Readable.from([Buffer.from("ab"), Buffer.from("c")], { objectMode: false })],
    [
      "a web ReadableStream<Uint8Array>",
      () =>
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(encode("a"));
            controller.enqueue(encode("bc"));
            controller.close();
          },
        }) as unknown as ResponseBody,
    ],
    ["a Set (any iterable)", () => new Set([encode("abc")])],
  ])("sends %s", async (_name, make) => {
    expect((await callApp(serving(make))).text()).toBe("abc");
  });
});
