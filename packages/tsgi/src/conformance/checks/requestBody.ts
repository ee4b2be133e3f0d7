import { expect } from "vitest";
import { chunkFrame, chunkedBody, requestBytes } from "../client/requestBytes.js";
import { ConnectionClosedError } from "../client/errors.js";
import type { RawResponse } from "../client/rawConnection.js";
import type { EnvironReport } from "../probes/environDump.js";
import type { InputReport } from "../probes/inputReader.js";
import type { Check } from "./check.js";

function json<T>(response: RawResponse): T {
  expect(response.statusCode, response.body.toString("latin1")).toBe(200);
  return JSON.parse(response.body.toString("utf8")) as T;
}

const INPUT_MODES = ["all", "chunks", "lines", "iterate"] as const;

/** `tsgi.input`: end-of-file at CONTENT_LENGTH, chunked bodies decoded, `100 Continue` on first read. */
export const requestBodyChecks: Check[] = [
  {
    id: "input-eof-at-content-length",
    title: "ends tsgi.input at CONTENT_LENGTH, leaving the pipelined next request intact",
    async run(context) {
      const connection = await context.connect();
      const body = "line one\nline two\nend";
      // Every request and the one after them go out in one write: the body is followed by more bytes.
      const requests = INPUT_MODES.map((mode) =>
        requestBytes({
          method: "POST",
          target: `/input?mode=${mode}`,
          headers: [["Content-Type", "text/plain"], ["Content-Length", String(body.length)]],
          body,
        }),
      );
      requests.push(requestBytes({ target: "/environ/after-the-bodies" }));
      await connection.send(Buffer.concat(requests));
      for (const mode of INPUT_MODES) {
        const report = json<InputReport>(await connection.readResponse());
        expect({ mode, text: report.text, readAfterEof: report.readAfterEof }).toEqual({ mode, text: body, readAfterEof: 0 });
        expect(report.contentLength).toBe(String(body.length));
        expect(report.contentType).toBe("text/plain");
      }
      expect(json<EnvironReport>(await connection.readResponse()).values.PATH_INFO).toBe("/environ/after-the-bodies");
    },
  },
  {
    id: "input-empty-body",
    title: "gives an empty tsgi.input (immediate end-of-file) to a request without a body",
    async run(context) {
      const connection = await context.connect();
      await connection.send({ method: "GET", target: "/input?mode=chunks" });
      const report = json<InputReport>(await connection.readResponse());
      expect(report).toMatchObject({ length: 0, text: "", readAfterEof: 0 });
    },
  },
  {
    id: "chunked-request-body",
    title: "decodes a chunked request body (extensions and trailers included) into tsgi.input",
    async run(context) {
      const connection = await context.connect();
      const head = requestBytes({
        method: "POST",
        target: "/input?mode=iterate",
        headers: [["Transfer-Encoding", "chunked"]],
      });
      const framed = Buffer.concat([
        Buffer.from("6;name=value\r\nhello \r\n", "latin1"),
        chunkedBody(["chunked ", "world"], [["X-Trailer", "ignored"]]),
      ]);
      await connection.send(Buffer.concat([head, framed, requestBytes({ target: "/environ/after-chunked" })]));
      const report = json<InputReport>(await connection.readResponse());
      expect(report.text).toBe("hello chunked world");
      expect([null, ""]).toContain(report.contentLength);
      expect(report.readAfterEof).toBe(0);
      expect(json<EnvironReport>(await connection.readResponse()).values.PATH_INFO).toBe("/environ/after-chunked");
    },
  },
  {
    id: "expect-continue-on-read",
    title: "sends 100 Continue when the app reads a body announced with Expect: 100-continue",
    async run(context) {
      const connection = await context.connect();
      await connection.send({
        method: "POST",
        target: "/input?mode=all",
        headers: [["Content-Length", "5"], ["Expect", "100-continue"]],
      });
      // The body is sent only after the 100: a server that never sends it fails this wait.
      const interim = await connection.readHead();
      expect(interim.statusCode).toBe(100);
      await connection.send("hello");
      const report = json<InputReport>(await connection.readResponse());
      expect(report.text).toBe("hello");
      // The same with a chunked body, on the same connection.
      await connection.send({
        method: "POST",
        target: "/input?mode=iterate",
        headers: [["Transfer-Encoding", "chunked"], ["Expect", "100-continue"]],
      });
      expect((await connection.readHead()).statusCode).toBe(100);
      await connection.send(chunkedBody(["chunked ", "continue"]));
      expect(json<InputReport>(await connection.readResponse()).text).toBe("chunked continue");
    },
  },
  {
    id: "input-read-sizes",
    title: "fills read(size) fully except at the end, and gives readline() whole lines, however the body arrives",
    async run(context) {
      const body = Buffer.alloc(10_000, "x");
      const lines = ["first line\n", "a much longer second line\n", "\n", "no newline at the end"];
      const cases: Array<[mode: string, bytes: Buffer, lengths: number[]]> = [
        ["chunks", body, [4096, 4096, 1808]],
        ["lines", Buffer.from(lines.join("")), lines.map((line) => line.length)],
      ];
      for (const [mode, bytes, lengths] of cases) {
        const connection = await context.connect();
        await connection.send({ method: "POST", target: `/input?mode=${mode}`, headers: [["Transfer-Encoding", "chunked"]] });
        // Odd-sized pieces in separate writes, so the server's reads straddle them.
        for (let offset = 0, size = 1; offset < bytes.length; offset += size, size = size * 7 + 3) {
          await connection.send(chunkFrame(bytes.subarray(offset, offset + size)));
        }
        await connection.send("0\r\n\r\n");
        const report = json<InputReport>(await connection.readResponse());
        expect({ mode, partLengths: report.partLengths }).toEqual({ mode, partLengths: lengths });
      }
    },
  },
  {
    id: "unread-body-discarded",
    title: "discards a body the app did not read, so the next pipelined request is parsed correctly (or closes)",
    async run(context) {
      const connection = await context.connect();
      const unread = requestBytes({ method: "POST", target: "/framing?mode=fixed", headers: [["Content-Length", "26"]], body: "GET /smuggled HTTP/1.1\r\n\r\n" });
      await connection.send(Buffer.concat([unread, requestBytes({ target: "/environ/after-unread" })]));
      expect((await connection.readResponse()).statusCode).toBe(200);
      let next: RawResponse;
      try {
        next = await connection.readResponse();
      } catch (error) {
        if (error instanceof ConnectionClosedError) return; // closing instead of discarding is allowed
        throw error;
      }
      expect(json<EnvironReport>(next).values.PATH_INFO).toBe("/environ/after-unread");
    },
  },
  {
    id: "expect-continue-not-without-read",
    title: "sends no 100 Continue when the app answers without reading the body",
    async run(context) {
      const connection = await context.connect();
      await connection.send({
        method: "POST",
        target: "/framing?mode=fixed",
        headers: [["Content-Length", "5"], ["Expect", "100-continue"]],
      });
      const first = await connection.readHead();
      expect(first.statusCode).toBe(200);
    },
  },
];
