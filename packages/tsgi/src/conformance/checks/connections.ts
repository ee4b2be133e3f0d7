import { expect } from "vitest";
import { requestBytes } from "../client/requestBytes.js";
import type { RawResponse } from "../client/rawConnection.js";
import type { EnvironReport } from "../probes/environDump.js";
import type { Check } from "./check.js";

function environ(response: RawResponse): EnvironReport {
  expect(response.statusCode, response.body.toString("latin1")).toBe(200);
  return JSON.parse(response.body.toString("utf8")) as EnvironReport;
}

/** Connection handling: keep-alive, pipelining, malformed requests. */
export const connectionChecks: Check[] = [
  {
    id: "keep-alive",
    title: "serves several requests, of several kinds, one after another on one keep-alive connection",
    async run(context) {
      const connection = await context.connect();
      const remotePorts = new Set<unknown>();
      for (let round = 0; round < 3; round++) {
        await connection.send({ target: `/environ/round-${round}` });
        const report = environ(await connection.readResponse());
        expect(report.values.PATH_INFO).toBe(`/environ/round-${round}`);
        remotePorts.add(report.values.REMOTE_PORT);
        await connection.send({ method: "POST", target: "/input", headers: [["Content-Length", "4"]], body: "ping" });
        expect((await connection.readResponse()).statusCode).toBe(200);
        await connection.send({ target: "/framing?mode=streamed" });
        expect((await connection.readResponse()).framing).toBe("chunked");
        await connection.send({ method: "HEAD", target: "/framing?mode=fixed" });
        expect((await connection.readResponse({ method: "HEAD" })).body.length).toBe(0);
      }
      // One client port seen by the server: it really was one connection.
      expect([...remotePorts]).toEqual([String(connection.localPort)]);
    },
  },
  {
    id: "pipelining",
    title: "answers pipelined requests (sent in one write) in order",
    async run(context) {
      const connection = await context.connect();
      const paths = ["/environ/one", "/environ/two", "/environ/three"];
      await connection.send(Buffer.concat(paths.map((target) => requestBytes({ target }))));
      for (const path of paths) expect(environ(await connection.readResponse()).values.PATH_INFO).toBe(path);
    },
  },
  {
    id: "malformed-request-400",
    title: "answers 400 to a malformed request and keeps serving other connections",
    async run(context) {
      const malformed = [
        "NOT AN HTTP REQUEST\r\n\r\n",
        "GET /environ HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        "GET /environ HTTP/1.1\r\nHost: x\r\nBad Header Name: 1\r\n\r\n",
        // Framing conflicts are how requests get smuggled past proxies (RFC 9112 section 6.3).
        "POST /input HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST /input HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
        "POST /input HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nabcd",
      ];
      for (const bytes of malformed) {
        const connection = await context.connect();
        await connection.send(bytes);
        const response = await connection.readResponse();
        expect({ bytes, status: response.statusCode }).toEqual({ bytes, status: 400 });
        await connection.waitForServerClose();
        connection.close();
      }
      const healthy = await context.connect();
      await healthy.send({ target: "/environ/still-up" });
      expect(environ(await healthy.readResponse()).values.PATH_INFO).toBe("/environ/still-up");
    },
  },
  {
    id: "oversized-headers-rejected",
    title: "accepts an 8 KiB header but answers 431 (or 400) to a 256 KiB one, without crashing",
    async run(context) {
      // Cookies of several KiB are common: the limit must not be tiny (Gunicorn allows 8190-byte fields).
      const ordinary = await context.connect();
      await ordinary.send({ target: "/environ/cookie", headers: [["Cookie", `big=${"c".repeat(8000)}`]] });
      expect(environ(await ordinary.readResponse()).values.HTTP_COOKIE).toHaveLength(8004);
      const connection = await context.connect();
      await connection.send({ target: "/environ/big", headers: [["X-Big", "a".repeat(256 * 1024)]] });
      const response = await connection.readResponse();
      expect([400, 431]).toContain(response.statusCode);
      const healthy = await context.connect();
      await healthy.send({ target: "/environ/still-up" });
      expect(environ(await healthy.readResponse()).values.PATH_INFO).toBe("/environ/still-up");
    },
  },
  {
    id: "concurrent-requests",
    title: "serves other requests while one response is parked waiting for the app",
    async run(context) {
      const token = context.token();
      const parked = await context.connect();
      await parked.send({ target: `/stream-release?token=${token}` });
      const head = await parked.readHead();
      const body = parked.bodyOf(head);
      const first = await body.next();
      expect(first?.length).toBeGreaterThan(0);
      // The parked response is released only after all of these are answered: a server that serves one
      // request at a time never answers them.
      const others = await Promise.all(
        Array.from({ length: 16 }, async (_, index) => {
          const connection = await context.connect();
          await connection.send({ target: `/environ/concurrent-${index}` });
          return environ(await connection.readResponse()).values.PATH_INFO;
        }),
      );
      expect(others).toEqual(Array.from({ length: 16 }, (_, index) => `/environ/concurrent-${index}`));
      await context.signal(token, "release");
      await body.readAll();
      expect(body.complete).toBe(true);
    },
  },
];
