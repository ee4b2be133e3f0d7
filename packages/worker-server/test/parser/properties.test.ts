import { describe, expect, it } from "vitest";
import { ChunkedBodyError, ChunkedDecoder, HeadReader, parseHead, type HeadParse } from "../../src/connection/http/parser/index.js";
import { LIMITS } from "./feed.js";
import { createRandom, mutatedRequest } from "./mutate.js";

const CASES = Number(process.env.FUZZ_ITERATIONS ?? 1500);

/** The verdict without the message text: what a connection acts on. */
function verdict(result: HeadParse): string {
  if (result.kind === "reject") return `reject ${result.rejection.code}`;
  if (result.kind === "incomplete") return "incomplete";
  return `head ${result.head.headBytes} ${result.head.method} ${result.head.target} ${JSON.stringify(result.head.body)} ${result.head.keepAlive}`;
}

describe("parser properties over mutated requests (seeded)", () => {
  it("parseHead answers every input, and its answer does not depend on how the bytes were split", () => {
    const random = createRandom(2024);
    for (let index = 0; index < CASES; index++) {
      const input = mutatedRequest(random);
      const whole = verdict(parseHead(input, LIMITS));
      // Byte by byte through parseHead: the first answer that is not incomplete is the answer.
      let byteByByte = "incomplete";
      for (let length = 1; length <= input.length; length++) {
        const answer = verdict(parseHead(input.subarray(0, length), LIMITS));
        if (answer !== "incomplete") {
          byteByByte = answer;
          break;
        }
      }
      // Through a HeadReader in random pieces.
      const reader = new HeadReader();
      let pieces = "incomplete";
      for (let length = 0; length < input.length; ) {
        length = Math.min(input.length, length + 1 + Math.floor(random() * 16));
        const answer = verdict(reader.read(input.subarray(0, length), LIMITS));
        if (answer !== "incomplete") {
          pieces = answer;
          break;
        }
      }
      const context = JSON.stringify(input.toString("latin1"));
      expect(byteByByte, context).toBe(whole);
      expect(pieces, context).toBe(whole);
    }
  });

  it("ChunkedDecoder answers every input the same whatever the split, or throws only ChunkedBodyError", () => {
    const random = createRandom(4048);
    for (let index = 0; index < CASES; index++) {
      const input = mutatedRequest(random);
      const head = parseHead(input, LIMITS);
      const body = head.kind === "head" ? input.subarray(head.head.headBytes) : input;
      const run = (step: number): string => {
        const decoder = new ChunkedDecoder(LIMITS);
        let decoded = 0;
        try {
          for (let offset = 0; offset < body.length; offset += step) {
            const result = decoder.decode(body.subarray(offset, offset + step));
            decoded += result.data.reduce((sum, part) => sum + part.length, 0);
            if (result.done) return `done ${decoded} at ${offset + result.consumed}`;
          }
          return `open ${decoded}`;
        } catch (error) {
          if (!(error instanceof ChunkedBodyError)) throw error;
          return `error ${error.rejection.code}`;
        }
      };
      const whole = run(body.length || 1);
      const context = JSON.stringify(body.toString("latin1"));
      expect(run(1), context).toBe(whole);
      expect(run(1 + Math.floor(random() * 7)), context).toBe(whole);
    }
  });
});
