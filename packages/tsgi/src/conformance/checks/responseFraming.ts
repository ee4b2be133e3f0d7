import { createHash } from "node:crypto";
import { expect } from "vitest";
import { sendHttpRequest } from "../client/httpRequest.js";
import { patternDigest } from "../probes/bytePattern.js";
import { ConnectionClosedError } from "../client/errors.js";
import { headerValue } from "../client/responseHead.js";
import type { RawConnection } from "../client/rawConnection.js";
import { FRAMING_FIXED_BODY, FRAMING_STREAMED_CHUNKS } from "../probes/framing.js";
import { WRITE_LEGACY_PARTS } from "../probes/writeLegacy.js";
import type { Check } from "./check.js";

const STREAMED_BODY = FRAMING_STREAMED_CHUNKS.join("");

/** Headers that legitimately differ between two responses (RFC 9110 Date) or with the body (RFC 9110 section 9.3.2 lets HEAD omit them). */
const VARYING = new Set(["date", "content-length", "transfer-encoding", "connection", "keep-alive"]);

async function expectAnotherRequestWorks(connection: RawConnection): Promise<void> {
  await connection.send({ target: "/framing?mode=fixed" });
  const response = await connection.readResponse();
  expect(response.statusCode).toBe(200);
  expect(response.body.toString("latin1")).toBe(FRAMING_FIXED_BODY);
}

/** The server frames the body correctly: Content-Length, chunked, close-delimited, none for HEAD. */
export const responseFramingChecks: Check[] = [
  {
    id: "head-without-body",
    title: "answers HEAD with the GET headers and no body bytes",
    async run(context) {
      const connection = await context.connect();
      for (const mode of ["fixed", "streamed"]) {
        await connection.send({ target: `/framing?mode=${mode}` });
        const get = await connection.readResponse();
        await connection.send({ method: "HEAD", target: `/framing?mode=${mode}` });
        const head = await connection.readResponse({ method: "HEAD" });
        expect(head.statusLine).toBe(get.statusLine);
        const comparable = (headers: Array<[string, string]>) => headers.filter(([name]) => !VARYING.has(name.toLowerCase()));
        expect(comparable(head.headers)).toEqual(comparable(get.headers));
        if (mode === "fixed") expect(headerValue(head.headers, "content-length")).toBe(String(FRAMING_FIXED_BODY.length));
        // A stray body byte would corrupt the next response on this connection.
        await expectAnotherRequestWorks(connection);
      }
    },
  },
  {
    id: "head-stops-pulling",
    title: "finishes a HEAD response on an endless body and closes it (stops pulling once headers are known)",
    async run(context) {
      const token = context.token();
      const connection = await context.connect();
      await connection.send({ method: "HEAD", target: `/close-recorder?token=${token}&mode=disconnect` });
      const response = await connection.readResponse({ method: "HEAD" });
      expect(response.statusCode).toBe(200);
      await context.waitForLedger(token, "a close() call", (events) => events.includes("closed"));
      await expectAnotherRequestWorks(connection);
    },
  },
  {
    id: "chunked-output-http11",
    title: "uses chunked framing on HTTP/1.1 when the app gives no length (empty chunks do not end it)",
    async run(context) {
      const connection = await context.connect();
      await connection.send({ target: "/framing?mode=streamed" });
      const response = await connection.readResponse();
      expect(response.framing).toBe("chunked");
      expect(response.complete).toBe(true);
      expect(response.body.toString("latin1")).toBe(STREAMED_BODY);
      await expectAnotherRequestWorks(connection);
    },
  },
  {
    id: "close-delimited-http10",
    title: "ends a length-less body by closing the connection on HTTP/1.0 (no chunked framing)",
    async run(context) {
      const connection = await context.connect();
      await connection.send({ target: "/framing?mode=streamed", version: "HTTP/1.0" });
      const response = await connection.readResponse();
      expect(headerValue(response.headers, "transfer-encoding")).toBeUndefined();
      expect(response.body.toString("latin1")).toBe(STREAMED_BODY);
      expect(response.complete).toBe(true);
      await connection.waitForServerClose();
    },
  },
  {
    id: "content-length-never-exceeded",
    title: "never sends more body bytes than the app's Content-Length",
    async run(context) {
      const connection = await context.connect();
      await connection.send({ target: "/framing?mode=excess-length" });
      const response = await connection.readResponse();
      expect(response.body.toString("latin1")).toBe("01234");
      // Either the connection stays usable (no stray bytes) or the server closed it.
      try {
        await expectAnotherRequestWorks(connection);
      } catch (error) {
        if (!(error instanceof ConnectionClosedError) && !isConnectionReset(error)) throw error;
      }
    },
  },
  {
    id: "content-length-short-closes",
    title: "closes the connection when the app sends less than its Content-Length",
    async run(context) {
      const connection = await context.connect();
      await connection.send({ target: "/framing?mode=short-length" });
      const response = await connection.readResponse();
      expect(response.body.toString("latin1")).toBe("0123456789");
      expect(response.complete).toBe(false);
    },
  },
  {
    id: "connection-close-honoured",
    title: "closes the connection after the response when the request says Connection: close",
    async run(context) {
      const connection = await context.connect();
      await connection.send({ target: "/framing?mode=streamed", headers: [["Connection", "close"]] });
      const response = await connection.readResponse();
      expect(response.body.toString("latin1")).toBe(STREAMED_BODY);
      await connection.waitForServerClose();
    },
  },
  {
    id: "no-body-statuses",
    title: "sends no body with 204 and 304 responses, even when the app wrongly returns one",
    async run(context) {
      const connection = await context.connect();
      for (const [mode, codes] of [["no-content", [204]], ["not-modified", [304]], ["no-content-with-body", [204, 500]]] as const) {
        await connection.send({ target: `/framing?mode=${mode}` });
        const response = await connection.readResponse();
        expect(codes, `${mode} answered ${response.statusLine}`).toContain(response.statusCode);
        if (response.statusCode !== 500) expect(headerValue(response.headers, "transfer-encoding")).toBeUndefined();
        // Stray body bytes (a chunked terminator included) would surface as garbage in front of the next response.
        await expectAnotherRequestWorks(connection);
      }
    },
  },
  {
    id: "file-wrapper",
    title: "sends a file given to tsgi.file_wrapper intact (when the server offers one)",
    async run(context) {
      const size = 3 * 1024 * 1024 + 17;
      const hash = createHash("sha256");
      const response = await sendHttpRequest(context.url, { path: `/file-wrapper?size=${size}`, onBody: (part) => hash.update(part) });
      if (response.status === 501) return; // tsgi.file_wrapper is optional
      expect(response.status).toBe(200);
      expect(response.headers["content-length"]).toBe(String(size));
      expect(hash.digest("hex")).toBe(patternDigest(size));
    },
  },
  {
    id: "write-legacy",
    title: "sends write() output in order with the body, whether written before returning or during iteration",
    async run(context) {
      const connection = await context.connect();
      for (const mode of ["before", "inside"]) {
        await connection.send({ target: `/write-legacy?mode=${mode}` });
        const response = await connection.readResponse();
        expect(response.statusCode).toBe(200);
        expect(response.complete).toBe(true);
        expect({ mode, body: response.body.toString("latin1") }).toEqual({ mode, body: WRITE_LEGACY_PARTS.join("") });
      }
    },
  },
];

function isConnectionReset(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "ECONNRESET" || code === "EPIPE";
}
