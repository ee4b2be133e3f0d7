/** --max-requests with --max-requests-jitter: each worker draws its own limit in [N, N + jitter]. */
import { afterEach, describe, expect, it } from "vitest";
import { maxRequestsFor } from "../src/worker/maxRequests.js";
import { startLoad } from "./fixtures/client.js";
import { APP, cleanupMasters, startMaster } from "./fixtures/master.js";

afterEach(cleanupMasters);

describe("--max-requests-jitter", () => {
  it("adds 0..jitter, both ends included, and nothing when recycling is off", () => {
    expect(maxRequestsFor({ maxRequests: 100, maxRequestsJitter: 10 }, () => 0)).toBe(100);
    expect(maxRequestsFor({ maxRequests: 100, maxRequestsJitter: 10 }, () => 0.999_999)).toBe(110);
    expect(maxRequestsFor({ maxRequests: 100, maxRequestsJitter: 10 }, () => 0.5)).toBe(105);
    expect(maxRequestsFor({ maxRequests: 100, maxRequestsJitter: 0 }, () => 0.999_999)).toBe(100);
    expect(maxRequestsFor({ maxRequests: 0, maxRequestsJitter: 10 }, () => 0.999_999)).toBe(0);
  });

  it("recycles real workers after a jittered count within range, without failing a request", async () => {
    const master = startMaster(["-b", "127.0.0.1:0", "-w", "1", "--max-requests", "3", "--max-requests-jitter", "4", APP]);
    const url = await master.url();
    const load = startLoad(`${url}/`, { concurrency: 2 });
    await master.waitForCount(/max requests \d+ reached/, 3);
    await master.waitForCount(/Worker exiting/, 2);
    const result = await load.stop();
    expect(result.failures).toEqual([]);
    const limits = master.lines.flatMap((line) => line.match(/max requests (\d+) reached/)?.slice(1).map(Number) ?? []);
    for (const limit of limits) expect(limit >= 3 && limit <= 7, `limit ${limit} in [3, 7]`).toBe(true);
  });
});
