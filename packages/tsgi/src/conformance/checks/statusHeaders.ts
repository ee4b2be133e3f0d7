import { expect } from "vitest";
import { headerValues } from "../client/responseHead.js";
import { PROBE_HEADERS, PROBE_LATIN1_HEADER, PROBE_STATUS } from "../probes/statusHeaders.js";
import type { Check } from "./check.js";

/** Status line and header fields reach the client exactly as the app gave them. */
export const statusHeaderChecks: Check[] = [
  {
    id: "status-verbatim",
    title: "sends the app's status code and reason phrase verbatim",
    async run(context) {
      const connection = await context.connect();
      for (const status of [PROBE_STATUS, "404 Not Here", "201 Created Just Now"]) {
        await connection.send({ target: `/status-headers?status=${encodeURIComponent(status)}` });
        const response = await connection.readResponse();
        expect(response.statusLine).toBe(`HTTP/1.1 ${status}`);
      }
    },
  },
  {
    id: "headers-verbatim",
    title: "sends the app's headers in order with their name case and value unchanged",
    async run(context) {
      const connection = await context.connect();
      await connection.send({ target: "/status-headers" });
      const response = await connection.readResponse();
      const names = new Set(PROBE_HEADERS.map(([name]) => name.toLowerCase()));
      const sent = response.headers.filter(([name]) => names.has(name.toLowerCase()));
      expect(sent).toEqual(PROBE_HEADERS);
      expect(headerValues(response.headers, "content-type")).toEqual(["text/plain; charset=utf-8"]);
    },
  },
  {
    id: "set-cookie-separate",
    title: "keeps several Set-Cookie headers as separate fields, never joined",
    async run(context) {
      const connection = await context.connect();
      await connection.send({ target: "/status-headers" });
      const response = await connection.readResponse();
      const expected = PROBE_HEADERS.filter(([name]) => name === "Set-Cookie").map(([, value]) => value);
      expect(headerValues(response.headers, "set-cookie")).toEqual(expected);
    },
  },
  {
    id: "header-latin1-value",
    title: "sends a latin-1 header value as its latin-1 bytes",
    async run(context) {
      const connection = await context.connect();
      await connection.send({ target: "/status-headers?latin1=1" });
      const response = await connection.readResponse();
      // The reader decodes the wire as latin-1, so one byte 0xE9 reads back as "\u00e9".
      expect(headerValues(response.headers, PROBE_LATIN1_HEADER[0])).toEqual([PROBE_LATIN1_HEADER[1]]);
    },
  },
];
