import { expect } from "vitest";
import type { RawConnection } from "../client/rawConnection.js";
import { patternChunks, patternDigest } from "../probes/bytePattern.js";
import type { Check } from "./check.js";

const UPLOAD_BYTES = 128 * 1024 * 1024;
/** Far above what socket buffers hold on loopback, far below the body. */
const MAX_ACCEPTED_WHILE_STALLED = 64 * 1024 * 1024;
const STABLE_POLLS = 10;
const POLL_MS = 100;

/** Waits for the socket to drain, or for the kernel to stop taking bytes (nothing else signals a stall). */
async function drainOrStall(connection: RawConnection): Promise<"drained" | "stalled"> {
  const drained = connection.waitForDrain().then(() => "drained" as const);
  let last = -1;
  for (let stable = 0; stable < STABLE_POLLS; ) {
    const tick = new Promise<"tick">((resolve) => setTimeout(() => resolve("tick"), POLL_MS));
    if ((await Promise.race([drained, tick])) === "drained") return "drained";
    const accepted = connection.bytesAccepted;
    stable = accepted === last ? stable + 1 : 0;
    last = accepted;
  }
  return "stalled";
}

/** Request bodies are streamed to the app: an app that stops reading makes the server stop reading the socket. */
export const inputBackpressureChecks: Check[] = [
  {
    id: "input-backpressure",
    title: "stops reading a large upload from the socket while the app is not reading it (bounded memory)",
    async run(context) {
      const token = context.token();
      const connection = await context.connect();
      await connection.send({
        method: "POST",
        target: `/input-stall?token=${token}`,
        headers: [["Content-Type", "application/octet-stream"], ["Content-Length", String(UPLOAD_BYTES)]],
      });
      const chunks = patternChunks(UPLOAD_BYTES);
      let stalledAt: number | undefined;
      for (const chunk of chunks) {
        if (connection.trySend(chunk)) continue;
        if (stalledAt === undefined && (await drainOrStall(connection)) === "stalled") {
          stalledAt = connection.bytesAccepted;
          expect(stalledAt).toBeLessThan(MAX_ACCEPTED_WHILE_STALLED);
          await context.signal(token, "release");
        }
        await connection.waitForDrain();
      }
      // A server that takes the whole body into memory never stalls the client.
      expect(stalledAt, "the server accepted the whole upload while the app was not reading").toBeDefined();
      const response = await connection.readResponse();
      expect(response.statusCode, response.body.toString("latin1")).toBe(200);
      expect(JSON.parse(response.body.toString("utf8"))).toEqual({ length: UPLOAD_BYTES, sha256: patternDigest(UPLOAD_BYTES) });
    },
  },
];
