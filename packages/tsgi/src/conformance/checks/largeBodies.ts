import { createHash } from "node:crypto";
import { expect } from "vitest";
import { sendHttpRequest } from "../client/httpRequest.js";
import { patternChunks, patternDigest } from "../probes/bytePattern.js";
import type { InputReport } from "../probes/inputReader.js";
import type { Check } from "./check.js";

const LARGE_BYTES = 50 * 1024 * 1024;

/** 50 MiB bodies in both directions, streamed and checksummed. */
export const largeBodyChecks: Check[] = [
  {
    id: "large-download",
    title: "streams a 50 MiB response intact, with and without Content-Length",
    async run(context) {
      const expected = patternDigest(LARGE_BYTES);
      for (const length of ["1", "0"]) {
        const hash = createHash("sha256");
        let received = 0;
        const response = await sendHttpRequest(context.url, {
          path: `/download?size=${LARGE_BYTES}&length=${length}`,
          onBody: (part) => {
            received += part.length;
            hash.update(part);
          },
        });
        expect(response.status).toBe(200);
        expect({ length, received, digest: hash.digest("hex") }).toEqual({ length, received: LARGE_BYTES, digest: expected });
      }
    },
  },
  {
    id: "large-upload",
    title: "streams a 50 MiB request body to the app intact, chunked and with Content-Length",
    async run(context) {
      const expected = patternDigest(LARGE_BYTES);
      for (const framing of ["chunked", "content-length"]) {
        const headers: Record<string, string> = { "Content-Type": "application/octet-stream" };
        if (framing === "content-length") headers["Content-Length"] = String(LARGE_BYTES);
        const response = await sendHttpRequest(context.url, {
          method: "POST",
          path: `/input?mode=${framing === "chunked" ? "iterate" : "chunks"}`,
          headers,
          body: patternChunks(LARGE_BYTES),
        });
        expect(response.status, response.body.toString("latin1")).toBe(200);
        const report = JSON.parse(response.body.toString("utf8")) as InputReport;
        expect({ framing, length: report.length, sha256: report.sha256 }).toEqual({ framing, length: LARGE_BYTES, sha256: expected });
      }
    },
  },
  {
    id: "large-echo",
    title: "streams a 50 MiB body back while still receiving it (full duplex)",
    async run(context) {
      const hash = createHash("sha256");
      let received = 0;
      const response = await sendHttpRequest(context.url, {
        method: "POST",
        path: "/echo",
        headers: { "Content-Type": "application/octet-stream" },
        body: patternChunks(LARGE_BYTES),
        onBody: (part) => {
          received += part.length;
          hash.update(part);
        },
      });
      expect(response.status).toBe(200);
      expect({ received, digest: hash.digest("hex") }).toEqual({ received: LARGE_BYTES, digest: patternDigest(LARGE_BYTES) });
    },
  },
];
