import { createHash } from "node:crypto";
import { expect } from "vitest";
import { PATTERN_CHUNK_SIZE, patternDigest } from "../probes/bytePattern.js";
import { STREAM_FIRST_CHUNK, STREAM_SECOND_CHUNK } from "../probes/streamRelease.js";
import type { Check } from "./check.js";

const SLOW_BODY_BYTES = 200 * 1024 * 1024;
/** Far above what socket buffers hold on loopback, far below the body: a server that ignores backpressure crosses it. */
const MAX_PRODUCED_WHILE_STALLED = 64 * 1024 * 1024;
const STABLE_POLLS = 10;
const POLL_MS = 100;

/** Output is streamed: no buffering of chunks, and backpressure from a slow client reaches the app. */
export const streamingChecks: Check[] = [
  {
    id: "streaming-unbuffered",
    title: "delivers a chunk (yielded or written) to the client before the app has produced the next one",
    async run(context) {
      for (const via of ["body", "write"]) {
        const token = context.token();
        const connection = await context.connect();
        await connection.send({ target: `/stream-release?token=${token}&via=${via}` });
        const head = await connection.readHead();
        expect(head.statusCode).toBe(200);
        const body = connection.bodyOf(head);
        let received = "";
        // The probe holds chunk 2 back until this side says it got chunk 1: a buffering server never gets here.
        while (!received.includes(STREAM_FIRST_CHUNK)) {
          const part = await body.next();
          if (!part) throw new Error(`The body ended before the first chunk arrived: ${JSON.stringify(received)}`);
          received += part.toString("latin1");
        }
        await context.signal(token, "release");
        received += (await body.readAll()).toString("latin1");
        expect({ via, received }).toEqual({ via, received: STREAM_FIRST_CHUNK + STREAM_SECOND_CHUNK });
        expect(body.complete).toBe(true);
      }
    },
  },
  {
    id: "backpressure-slow-client",
    title: "stops pulling from the app while the client reads nothing (bounded memory)",
    async run(context) {
      const token = context.token();
      const connection = await context.connect();
      connection.pause();
      await connection.send({ target: `/slow-consumer?token=${token}&size=${SLOW_BODY_BYTES}` });
      await context.waitForLedger(token, "a produced chunk", (events) => events.includes("produced"));
      // No event says "the server stopped pulling", so wait until the count stays put for a while.
      let produced = -1;
      for (let stable = 0; stable < STABLE_POLLS; ) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        const events = await context.ledger(token);
        const count = events.filter((event) => event === "produced").length;
        stable = count === produced ? stable + 1 : 0;
        produced = count;
        if (events.includes("finished")) break;
      }
      expect(produced * PATTERN_CHUNK_SIZE).toBeLessThan(MAX_PRODUCED_WHILE_STALLED);
      // The server must still deliver everything once the client reads.
      connection.resume();
      const hash = createHash("sha256");
      const response = await connection.readResponse({ onBody: (part) => hash.update(part) });
      expect(response.complete).toBe(true);
      expect(hash.digest("hex")).toBe(patternDigest(SLOW_BODY_BYTES));
    },
  },
];
