import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createWorkerServer } from "../src/connection/index.js";
import { ServeError } from "../src/connection/acceptors.js";
import { InvalidTimeoutError } from "../src/connection/timeouts.js";
import { createMemoryErrorStream, type Application, type Environ, type RunResult } from "tsgi";
import { closeAllServers, countingApp, echoApp, echoBodies, rawExchange, startServer, statusOf, statusesOf } from "./http.helpers.js";

const encoder = new TextEncoder();
afterEach(closeAllServers);

describe("HTTP/1.1 basics", () => {
  it("serves a request with the worker's environ (multiprocess, RAW_URI, peer address)", async () => {
    const { port } = await startServer(echoApp);
    const { text } = await rawExchange(port, "GET /a%20b?x=1 HTTP/1.1\r\nHost: example.test\r\nConnection: close\r\n\r\n");
    expect(statusOf(text)).toBe(200);
    const [echo] = echoBodies(text);
    expect(echo).toMatchObject({ method: "GET", path: "/a b", query: "x=1", rawUri: "/a%20b?x=1", multiprocess: true, remoteAddr: "127.0.0.1", scheme: "http" });
  });

  it("takes SERVER_NAME and SERVER_PORT from an absolute-form target rather than Host (RFC 9112 §3.2.2)", async () => {
    const app: Application = (environ, startResponse) => {
      startResponse("200 OK", [["Content-Type", "text/plain"]]);
      return [encoder.encode(`${environ.SERVER_NAME} ${environ.SERVER_PORT} ${environ.PATH_INFO} ${environ.QUERY_STRING}`)];
    };
    const { port } = await startServer(app);
    const { text } = await rawExchange(port, "GET http://target.test:8080/p?q=1 HTTP/1.1\r\nHost: other.test\r\nConnection: close\r\n\r\n");
    expect(text.endsWith("target.test 8080 /p q=1")).toBe(true);
  });

  it("keeps connections alive with a 75 s idle timeout by default and answers pipelined requests in order", async () => {
    const { port } = await startServer(echoApp);
    const requests = ["/one", "/two", "/three"].map((path) => `GET ${path} HTTP/1.1\r\nHost: a\r\n\r\n`).join("");
    const { text, closedByServer } = await rawExchange(port, requests + "GET /last HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    expect(closedByServer).toBe(true);
    expect(statusesOf(text)).toEqual([200, 200, 200, 200]);
    expect(echoBodies(text).map((e) => e.path)).toEqual(["/one", "/two", "/three", "/last"]);
    expect(text).toContain("Keep-Alive: timeout=75");
  });

  it("decodes a chunked request body and chunks a response of unknown length", async () => {
    const app: Application = (environ, startResponse) => {
      async function* respond(): AsyncGenerator<Uint8Array> {
        const body = await environ["tsgi.input"].read();
        startResponse("200 OK", [["Content-Type", "text/plain"]]);
        yield encoder.encode("got:");
        yield body;
      }
      return respond();
    };
    const { port } = await startServer(app);
    const { text } = await rawExchange(
      port,
      "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
    );
    expect(statusOf(text)).toBe(200);
    expect(text).toMatch(/Transfer-Encoding: chunked/i);
    expect(text).toContain("4\r\ngot:\r\n");
    expect(text).toContain("b\r\nhello world\r\n0\r\n\r\n");
  });

  it("sends 100 Continue only when the app reads its input", async () => {
    const { port } = await startServer(echoApp);
    // A client that waits for 100 Continue before sending its body, as curl does.
    const socket = net.connect(port, "127.0.0.1");
    let received = "";
    const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
    const interim = new Promise<string>((resolve) =>
      socket.on("data", (chunk: Buffer) => {
        received += chunk.toString("latin1");
        if (received.includes("\r\n\r\n")) resolve(received);
      }),
    );
    socket.write("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\nConnection: close\r\n\r\n");
    expect(await interim).toBe("HTTP/1.1 100 Continue\r\n\r\n");
    socket.write("abc");
    await closed;
    expect(statusOf(received.slice("HTTP/1.1 100 Continue\r\n\r\n".length))).toBe(200);
    expect(echoBodies(received)[0]?.body).toBe("abc");

    const ignoring: Application = (_environ, startResponse) => {
      startResponse("403 Forbidden", [["Content-Length", "0"]]);
      return [];
    };
    const other = await startServer(ignoring);
    const refused = await rawExchange(other.port, "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\nConnection: close\r\n\r\n");
    expect(statusOf(refused.text)).toBe(403);
    expect(refused.text).not.toContain("100 Continue");
  });

  it("answers HEAD with the headers of GET and no body", async () => {
    const app: Application = (_environ, startResponse) => {
      startResponse("200 OK", [["Content-Type", "text/plain"], ["Content-Length", "5"]]);
      return [encoder.encode("hello")];
    };
    const { port } = await startServer(app);
    const { text } = await rawExchange(port, "HEAD / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    expect(statusOf(text)).toBe(200);
    expect(text).toContain("Content-Length: 5");
    expect(text.endsWith("\r\n\r\n")).toBe(true);
  });

  it("closes after each response when keep-alive is 0, and after an HTTP/1.0 response", async () => {
    const { port } = await startServer(echoApp, { keepAlive: 0 });
    const off = await rawExchange(port, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    expect(off.closedByServer).toBe(true);
    expect(off.text).toMatch(/Connection: close/i);

    const normal = await startServer(echoApp);
    const old = await rawExchange(normal.port, "GET / HTTP/1.0\r\n\r\n");
    expect(statusOf(old.text)).toBe(200);
    expect(old.closedByServer).toBe(true);
  });

  it("reports each request to onRequest before the app and to onResponse after it", async () => {
    const seen: string[] = [];
    const results: Array<{ result: RunResult; ms: number }> = [];
    const { app } = countingApp((environ, startResponse) => {
      seen.push(`app ${environ.PATH_INFO}`);
      startResponse("201 Created", [["Content-Length", "2"]]);
      return [encoder.encode("ok")];
    });
    const { port } = await startServer(app, {}, {
      onRequest: (environ) => seen.push(`request ${environ.PATH_INFO}`),
      onResponse: (environ, result, ms) => {
        seen.push(`response ${environ.PATH_INFO}`);
        results.push({ result, ms });
      },
    });
    await rawExchange(port, "GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    expect(seen).toEqual(["request /x", "app /x", "response /x"]);
    expect(results[0]?.result).toMatchObject({ status: "201 Created", bytesSent: 2, aborted: false });
    expect(results[0]?.ms).toBeGreaterThanOrEqual(0);
  });
});

describe("hooks that throw", () => {
  it("answers 500 when onRequest throws, and a throwing onResponse neither breaks the connection nor leaks in-flight counts", async () => {
    const errors = createMemoryErrorStream();
    const { port, server } = await startServer(echoApp, { errors }, {
      onRequest: (environ) => {
        if (environ.PATH_INFO === "/pre") throw new Error("preRequest failed");
      },
      onResponse: () => {
        throw new Error("postRequest failed");
      },
    });
    const { text } = await rawExchange(port, "GET /pre HTTP/1.1\r\nHost: a\r\n\r\nGET /ok HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    expect(statusesOf(text)).toEqual([500, 200]);
    expect(server.inFlight).toBe(0);
    expect(errors.text).toContain("onResponse hook failed: Error: postRequest failed");
  });
});

describe("listening", () => {
  const extra: net.Server[] = [];
  afterEach(() => {
    for (const server of extra.splice(0)) server.close();
  });

  it("serves on a listening net.Server handed over (as a worker gets the master's socket) and on several binds at once", async () => {
    const handed = net.createServer();
    extra.push(handed);
    await new Promise<void>((resolve) => handed.listen(0, "127.0.0.1", () => resolve()));
    const running = await startServer(echoApp);
    await running.server.serve(handed);
    const handedPort = (handed.address() as net.AddressInfo).port;
    expect(running.server.addresses()).toHaveLength(2);
    for (const port of [running.port, handedPort]) {
      const { text } = await rawExchange(port, "GET /both HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
      expect(echoBodies(text)[0]?.path).toBe("/both");
    }
    running.server.stopAccepting();
    expect(handed.listening).toBe(false);
  });

  it("keeps createHttpServer as an alias of createWorkerServer", async () => {
    const { createHttpServer } = await import("../src/index.js");
    expect(createHttpServer).toBe(createWorkerServer);
  });

  it("fails serve() with ServeError when the address is taken", async () => {
    const taken = net.createServer();
    extra.push(taken);
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", () => resolve()));
    const server = createWorkerServer(echoApp);
    await expect(server.serve({ host: "127.0.0.1", port: (taken.address() as net.AddressInfo).port })).rejects.toThrow(ServeError);
    await server.close();
  });

  it("refuses bad timeouts with a typed error before listening", () => {
    expect(() => createWorkerServer(echoApp, { keepAlive: -1 })).toThrow(InvalidTimeoutError);
    expect(() => createWorkerServer(echoApp, { headersTimeout: Number.NaN })).toThrow(/headersTimeout must be a number of seconds from 0 to 2147483/);
    // Beyond Node's longest timer a timeout would fire at once.
    expect(() => createWorkerServer(echoApp, { keepAlive: 3_000_000 })).toThrow(InvalidTimeoutError);
  });
});

describe("graceful drain", () => {
  it("finishes in-flight requests, closes idle keep-alive connections and stops accepting", async () => {
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const isStarted = new Promise<void>((resolve) => (started = resolve));
    const app: Application = async (environ, startResponse) => {
      if (environ.PATH_INFO === "/slow") {
        started();
        await released;
      }
      startResponse("200 OK", [["Content-Length", "4"]]);
      return [encoder.encode("done")];
    };
    const running = await startServer(app);
    const { port, server } = running;

    // An idle keep-alive connection: one request answered, then nothing.
    const idle = net.connect(port, "127.0.0.1");
    const idleClosed = new Promise<void>((resolve) => idle.on("close", () => resolve()));
    idle.on("error", () => {});
    await new Promise<void>((resolve) => {
      idle.once("data", () => resolve());
      idle.write("GET /fast HTTP/1.1\r\nHost: a\r\n\r\n");
    });

    const slow = rawExchange(port, "GET /slow HTTP/1.1\r\nHost: a\r\n\r\n");
    await isStarted;
    expect(server.inFlight).toBe(1);
    const drained = server.drain(30_000);
    await idleClosed; // closed by the drain while the slow request is still running
    const refused = await new Promise<string>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? "error"));
      socket.on("connect", () => {
        socket.destroy();
        resolve("connected");
      });
    });
    expect(refused).toBe("ECONNREFUSED");
    release();
    const { text, closedByServer } = await slow;
    await drained;
    expect(statusOf(text)).toBe(200);
    expect(text).toMatch(/Connection: close/i);
    expect(closedByServer).toBe(true);
    expect(server.inFlight).toBe(0);
  });

  it("destroys connections still busy when the graceful timeout ends", async () => {
    let started!: () => void;
    const isStarted = new Promise<void>((resolve) => (started = resolve));
    const app: Application = async () => {
      started();
      await new Promise(() => {}); // never answers
      return [];
    };
    const { port, server } = await startServer(app);
    const hung = rawExchange(port, "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
    await isStarted;
    await server.drain(200);
    const { text, closedByServer } = await hung;
    expect(closedByServer).toBe(true);
    expect(text).toBe("");
  });
});
