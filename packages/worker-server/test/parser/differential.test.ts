import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ParserLimits } from "../../src/connection/http/parser/index.js";
import { LlhttpWitness, ourVerdict, inLlhttpForm, type Verdict } from "./llhttpHarness.js";
import { createRandom, CORPUS, mutatedRequest } from "./mutate.js";

/**
 * Differential fuzzing against llhttp (node:http's parser, strict mode): seeded mutations of
 * valid requests go to both parsers; any request the worker's parser accepts with a framing
 * llhttp would not give it (another body length, another split into requests, or a request
 * llhttp refuses on framing grounds) fails the test with the bytes and the seed.
 * FUZZ_ITERATIONS (default 1500) and FUZZ_SEED (default fixed) make longer or other runs.
 */
const ITERATIONS = Number(process.env.FUZZ_ITERATIONS ?? 1500);
const SEED = Number(process.env.FUZZ_SEED ?? 0x7e57);
const CONCURRENCY = 8;
const LIMITS: ParserLimits = { requestLine: 4094, fields: 100, fieldSize: 8190 };

/**
 * llhttp errors that are not about framing: llhttp knows a fixed list of methods (RFC 9110
 * allows any token) and is stricter about some target bytes; neither changes where a request ends.
 */
const NOT_FRAMING = new Set(["HPE_INVALID_METHOD", "HPE_INVALID_URL"]);

/** Why `ours` frames `bytes` differently from llhttp, or undefined when it does not. */
export function framingDifference(ours: Verdict, theirs: Verdict): string | undefined {
  const count = Math.min(ours.requests.length, theirs.requests.length);
  for (let index = 0; index < count; index++) {
    const mine = ours.requests[index]!;
    const node = theirs.requests[index]!;
    if (mine.method !== node.method || mine.target !== node.target) {
      return `request ${index + 1}: ours is ${mine.method} ${mine.target}, llhttp's ${node.method} ${node.target}`;
    }
    if (mine.complete && node.complete && mine.bodyLength !== node.bodyLength) {
      return `request ${index + 1}: body of ${mine.bodyLength} bytes for us, ${node.bodyLength} for llhttp`;
    }
    if (mine.complete && !node.complete && theirs.error !== undefined && !NOT_FRAMING.has(theirs.error)) {
      return `request ${index + 1}: we read its whole body, llhttp refused it (${theirs.error})`;
    }
    if (mine.last || node.last) return undefined; // nothing after this request is read by either
  }
  if (ours.requests.length > theirs.requests.length) {
    const error = theirs.error ?? "no error, no request";
    if (theirs.error !== undefined && NOT_FRAMING.has(theirs.error)) return undefined;
    return `we accepted request ${theirs.requests.length + 1}, llhttp did not (${error})`;
  }
  return undefined;
}

describe("differential fuzzing against llhttp", () => {
  const witness = new LlhttpWitness();
  beforeAll(() => witness.start());
  afterAll(() => witness.stop());

  it("agrees with llhttp on every unmutated corpus request (llhttp given chunk lines without BWS)", async () => {
    for (const text of CORPUS) {
      const bytes = Buffer.from(text, "latin1");
      const theirs = await witness.verdict(inLlhttpForm(bytes, LIMITS), 10_000);
      expect(theirs).not.toBe("timeout");
      const ours = ourVerdict(bytes, LIMITS);
      expect(ours.error).toBeUndefined();
      expect(ours.requests).toEqual((theirs as Verdict).requests);
    }
  });

  it(`never frames a request differently (${ITERATIONS} mutations, seed ${SEED})`, async () => {
    const random = createRandom(SEED);
    const cases = Array.from({ length: ITERATIONS }, (_, index) => ({ index, bytes: mutatedRequest(random) }));
    const failures: string[] = [];
    const tally = { bothAccepted: 0, weRefusedMore: 0, bothRefused: 0, rfcFormsLlhttpRefuses: 0, timeouts: 0 };
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const { index, bytes } = cases[next++]!;
        const theirs = await witness.verdict(bytes, 10_000);
        if (theirs === "timeout") {
          tally.timeouts++;
          continue;
        }
        const ours = ourVerdict(bytes, LIMITS);
        let difference = framingDifference(ours, theirs);
        if (difference !== undefined) {
          // What RFC 9110/9112 allow and llhttp refuses (BWS in chunk extensions, HTTP/1.2 and up):
          // in the form llhttp accepts, llhttp must frame the bytes exactly as we did.
          const stripped = inLlhttpForm(bytes, LIMITS);
          if (!stripped.equals(bytes)) {
            const again = await witness.verdict(stripped, 10_000);
            if (again !== "timeout" && framingDifference(ours, again) === undefined) {
              tally.rfcFormsLlhttpRefuses++;
              difference = undefined;
              continue;
            }
          }
        }
        if (difference !== undefined) {
          failures.push(`case ${index} (FUZZ_SEED=${SEED}): ${difference}\n  bytes: ${JSON.stringify(bytes.toString("latin1"))}\n  ours: ${JSON.stringify(ours)}\n  llhttp: ${JSON.stringify(theirs)}`);
        } else if (ours.error === undefined && theirs.error === undefined) tally.bothAccepted++;
        else if (ours.error !== undefined && theirs.error !== undefined) tally.bothRefused++;
        else tally.weRefusedMore++;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    if (failures.length > 0) console.error(failures.slice(0, 10).join("\n\n"));
    console.log(`differential: ${ITERATIONS} cases, seed ${SEED}: ${JSON.stringify(tally)}`);
    expect(failures, `${failures.length} framing differences; first: ${failures[0]}`).toEqual([]);
    // The run must have tested something: most cases answered, both verdicts seen.
    expect(tally.timeouts).toBeLessThan(ITERATIONS / 100 + 1);
    expect(tally.bothAccepted).toBeGreaterThan(0);
    expect(tally.bothRefused).toBeGreaterThan(0);
  }, 120_000);
});
