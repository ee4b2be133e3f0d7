import http from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Application, Environ, RunResult } from "tsgi";
import { UwsgiPacketError, encodeUwsgiPacket, parseUwsgiPacket } from "../src/connection/uwsgi/packet.js";
import { closeAllServers, rawExchange, startServer, statusOf } from "./http.helpers.js";
import { startNginx, stopNginx, type Nginx } from "./uwsgi.nginx.js";

const encoder = new TextEncoder();

/** Where the app under nginx parks a streamed response until the test has seen its first chunk. */
let releaseStream: (() => void) | undefined;
const results: RunResult[] = [];

const app: Application = async (environ, startResponse) => {
  if (environ.PATH_INFO === "/stream") {
    startResponse("200 OK", [["Content-Type", "text/plain"]]);
    const released = new Promise<void>((resolve) => (releaseStream = resolve));
    return (async function* () {
      yield encoder.encode("first;");
      await released;
      yield encoder.encode("second;");
      yield encoder.encode("third");
    })();
  }
  if (environ.PATH_INFO === "/boom") throw new Error("boom");
  const body = Buffer.from(await environ["tsgi.input"].read());
  const summary = {
    method: environ.REQUEST_METHOD,
    scriptName: environ.SCRIPT_NAME,
    path: environ.PATH_INFO,
    query: environ.QUERY_STRING,
    contentLength: environ.CONTENT_LENGTH ?? null,
    contentType: environ.CONTENT_TYPE ?? null,
    remoteAddr: environ.REMOTE_ADDR,
    protocol: environ.SERVER_PROTOCOL,
    scheme: environ["tsgi.url_scheme"],
    multiprocess: environ["tsgi.multiprocess"],
    custom: environ.HTTP_X_CUSTOM ?? null,
    rawUri: environ.RAW_URI,
    bodyLength: body.length,
    bodyHead: body.subarray(0, 16).toString("latin1"),
  };
  const json = encoder.encode(JSON.stringify(summary));
  startResponse("200 OK", [["Content-Type", "application/json"], ["Content-Length", String(json.length)], ["Set-Cookie", "a=1"], ["Set-Cookie", "b=2"]]);
  return [json];
};

let nginx: Nginx;
let uwsgiPort: number;

function request(options: http.RequestOptions & { body?: Buffer | string; chunked?: boolean }): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port: nginx.port, agent: false, ...options }, (res) => {
      let body = "";
      res.setEncoding("latin1");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    if (options.body !== undefined && options.chunked) {
      const data = Buffer.from(options.body);
      req.write(data.subarray(0, data.length >> 1));
      req.end(data.subarray(data.length >> 1));
    } else req.end(options.body);
  });
}

describe("uwsgi behind a real nginx (uwsgi_pass)", () => {
  beforeAll(async () => {
    const server = await startServer(app, { protocol: "uwsgi" }, { onResponse: (_environ: Environ, result: RunResult) => void results.push(result) });
    uwsgiPort = server.port;
    nginx = await startNginx(uwsgiPort);
  });
  afterAll(async () => {
    releaseStream?.();
    if (nginx) await stopNginx(nginx);
    await closeAllServers();
  });

  it("serves a GET with the environ built from nginx's uwsgi_params", async () => {
    const { status, headers, body } = await request({ path: "/hello%20there?x=1&y=2", headers: { "X-Custom": "yes" } });
    expect(status).toBe(200);
    expect(headers["set-cookie"]).toEqual(["a=1", "b=2"]);
    expect(JSON.parse(body)).toMatchObject({
      method: "GET",
      path: "/hello there",
      query: "x=1&y=2",
      rawUri: "/hello%20there?x=1&y=2",
      contentLength: null,
      remoteAddr: "127.0.0.1",
      protocol: "HTTP/1.1",
      scheme: "http",
      multiprocess: true,
      custom: "yes",
      bodyLength: 0,
    });
  });

  it("passes a POST body up to CONTENT_LENGTH, including one nginx de-chunked", async () => {
    const payload = Buffer.alloc(300_000, "abcdefghij");
    const plain = await request({ method: "POST", path: "/upload", body: payload, headers: { "Content-Type": "application/octet-stream", "Content-Length": payload.length } });
    expect(JSON.parse(plain.body)).toMatchObject({ method: "POST", contentLength: "300000", contentType: "application/octet-stream", bodyLength: 300_000, bodyHead: "abcdefghijabcdef" });
    const chunked = await request({ method: "POST", path: "/upload", body: payload, chunked: true });
    expect(JSON.parse(chunked.body)).toMatchObject({ bodyLength: 300_000 });
  });

  it("streams a response: the client sees the first chunk before the app has finished", async () => {
    const text = await new Promise<string>((resolve, reject) => {
      const req = http.get({ host: "127.0.0.1", port: nginx.port, path: "/stream", agent: false }, (res) => {
        let body = "";
        res.setEncoding("latin1");
        res.on("data", (chunk: string) => {
          body += chunk;
          if (body === "first;") releaseStream?.(); // only now may the app go on
        });
        res.on("end", () => resolve(body));
      });
      req.on("error", reject);
    });
    expect(text).toBe("first;second;third");
  });

  it("answers HEAD without a body and turns an app error into a 500", async () => {
    const head = await request({ method: "HEAD", path: "/h" });
    expect(head.status).toBe(200);
    expect(head.body).toBe("");
    const boom = await request({ path: "/boom" });
    expect(boom.status).toBe(500);
  });

  it("reports every request to onResponse", async () => {
    expect(results.length).toBeGreaterThanOrEqual(4);
    expect(results.every((result) => typeof result.bytesSent === "number")).toBe(true);
    expect(results.some((result) => result.status === "500 Internal Server Error")).toBe(true);
  });
});

describe("uwsgi packets", () => {
  afterEach(closeAllServers);

  it("round-trips variables and asks for more bytes until the packet is complete", () => {
    const packet = encodeUwsgiPacket({ REQUEST_METHOD: "GET", PATH_INFO: "/caf\u00e9", EMPTY: "" });
    expect(parseUwsgiPacket(packet.subarray(0, 3))).toEqual({ complete: false });
    expect(parseUwsgiPacket(packet.subarray(0, packet.length - 1))).toEqual({ complete: false });
    const parsed = parseUwsgiPacket(Buffer.concat([packet, Buffer.from("body")]));
    expect(parsed.complete && parsed.consumed).toBe(packet.length);
    expect(parsed.complete && Object.fromEntries(parsed.packet.vars)).toEqual({ REQUEST_METHOD: "GET", PATH_INFO: "/caf\u00e9", EMPTY: "" });
  });

  it("rejects a variable that runs past the end of the packet", () => {
    const broken = Buffer.from([0, 6, 0, 0, 3, 0, 0x41, 0x42, 0x43, 0xff]);
    expect(() => parseUwsgiPacket(broken)).toThrow(UwsgiPacketError);
  });

  it("closes the connection on a malformed packet or a modifier other than 0, and answers 400 to a bad CONTENT_LENGTH", async () => {
    const { port } = await startServer(app, { protocol: "uwsgi" });
    const broken = await rawExchange(port, Buffer.from([0, 6, 0, 0, 3, 0, 0x41, 0x42, 0x43, 0xff]));
    expect(broken).toEqual({ text: "", closedByServer: true });
    const modifier = await rawExchange(port, encodeUwsgiPacket({ REQUEST_METHOD: "GET", PATH_INFO: "/" }, 5));
    expect(modifier).toEqual({ text: "", closedByServer: true });
    const badLength = await rawExchange(port, encodeUwsgiPacket({ REQUEST_METHOD: "POST", PATH_INFO: "/", CONTENT_LENGTH: "12x" }));
    expect(statusOf(badLength.text)).toBe(400);
    expect(badLength.closedByServer).toBe(true);
  });

  it("fails the app's read when the connection closes before CONTENT_LENGTH bytes arrived", async () => {
    const failures: string[] = [];
    const { port } = await startServer(async (environ, startResponse) => {
      try {
        await environ["tsgi.input"].read();
      } catch (error) {
        failures.push((error as Error).name);
      }
      startResponse("200 OK", [["Content-Length", "0"]]);
      return [];
    }, { protocol: "uwsgi" });
    await rawExchange(port, Buffer.concat([encodeUwsgiPacket({ REQUEST_METHOD: "POST", PATH_INFO: "/", CONTENT_LENGTH: "10" }), Buffer.from("abc")]), { endAfterWrite: true });
    await expect.poll(() => failures, { timeout: 20_000 }).toEqual(["IncompleteBodyError"]);
  });

  it("closes a connection whose packet does not arrive within the head timeout", async () => {
    const { port } = await startServer(app, { protocol: "uwsgi", headersTimeout: 1 });
    const packet = encodeUwsgiPacket({ REQUEST_METHOD: "GET", PATH_INFO: "/" });
    const { text, closedByServer } = await rawExchange(port, packet.subarray(0, packet.length - 2));
    expect(text).toBe("");
    expect(closedByServer).toBe(true);
  });

  it("drains: an in-flight request finishes, then the server stops", async () => {
    let release!: () => void;
    let started!: () => void;
    const isStarted = new Promise<void>((resolve) => (started = resolve));
    const { port, server } = await startServer(async (_environ, startResponse) => {
      started();
      await new Promise<void>((resolve) => (release = resolve));
      startResponse("200 OK", [["Content-Length", "4"]]);
      return [encoder.encode("done")];
    }, { protocol: "uwsgi" });
    const pending = rawExchange(port, encodeUwsgiPacket({ REQUEST_METHOD: "GET", PATH_INFO: "/", SERVER_PROTOCOL: "HTTP/1.1" }));
    await isStarted;
    expect(server.inFlight).toBe(1);
    const drained = server.drain(30_000);
    release();
    const { text } = await pending;
    await drained;
    expect(statusOf(text)).toBe(200);
    expect(text.endsWith("done")).toBe(true);
    expect(server.inFlight).toBe(0);
  });

  it("answers a raw uwsgi client with an HTTP response ended by closing", async () => {
    const { port } = await startServer(app, { protocol: "uwsgi" });
    const { text, closedByServer } = await rawExchange(
      port,
      Buffer.concat([encodeUwsgiPacket({ REQUEST_METHOD: "POST", REQUEST_URI: "/raw?z=9", SERVER_PROTOCOL: "HTTP/1.1", CONTENT_LENGTH: "5", HTTPS: "on" }), Buffer.from("hello")]),
    );
    expect(closedByServer).toBe(true);
    expect(statusOf(text)).toBe(200);
    const json = JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4)) as Record<string, unknown>;
    expect(json).toMatchObject({ path: "/raw", query: "z=9", bodyLength: 5, bodyHead: "hello", scheme: "https", protocol: "HTTP/1.1" });
  });
});
