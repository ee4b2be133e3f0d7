import { describe, expect, it } from "vitest";
import { toFetchHandler, FetchBridgeError } from "../../src/fetch/index.js";
import type { ApplicationFunction, ResponseBody } from "../../src/types.js";
import { bytes, decoder, deferred, settleEventLoop } from "./helpers.js";

/** Answers with the environ's string keys and the body it read, as JSON. */
const echoEnviron: ApplicationFunction = async (environ, startResponse) => {
  const body = await environ["tsgi.input"].read();
  const keys = Object.fromEntries(Object.entries(environ).filter(([, value]) => typeof value === "string"));
  startResponse("200 OK", [["Content-Type", "application/json"]]);
  return [bytes(JSON.stringify({ ...keys, body: decoder.decode(body), multiprocess: environ["tsgi.multiprocess"] }))];
};

describe("toFetchHandler: Request to environ", () => {
  it("builds the environ with the server rules: decoded latin-1 PATH_INFO, raw query, host, scheme and port", async () => {
    const handler = toFetchHandler(echoEnviron);
    const res = await handler(new Request("https://example.com:8443/caf%C3%A9/a%2Fb?x=1&y=%20"));
    const environ = (await res.json()) as Record<string, string>;
    expect(environ).toMatchObject({
      REQUEST_METHOD: "GET",
      SCRIPT_NAME: "",
      PATH_INFO: Buffer.from("/café/a/b", "utf8").toString("latin1"),
      QUERY_STRING: "x=1&y=%20",
      SERVER_NAME: "example.com",
      SERVER_PORT: "8443",
      SERVER_PROTOCOL: "HTTP/1.1",
      HTTP_HOST: "example.com:8443",
      "tsgi.url_scheme": "https",
    });
    const plain = (await (await handler(new Request("http://localhost/"))).json()) as Record<string, string>;
    expect(plain).toMatchObject({ SERVER_PORT: "80", "tsgi.url_scheme": "http", PATH_INFO: "/", QUERY_STRING: "" });
  });

  it("maps headers: CONTENT_TYPE/CONTENT_LENGTH unprefixed, cookies joined with '; ', underscore names dropped", async () => {
    const headers = new Headers([
      ["Content-Type", "text/plain"],
      ["Content-Length", "5"],
      ["Accept", "text/html"],
      ["Accept", "application/json"],
      ["Cookie", "a=1"],
      ["X_Spoofed", "1"],
    ]);
    const res = await toFetchHandler(echoEnviron)(new Request("http://localhost/", { method: "POST", headers, body: "hello" }));
    const environ = (await res.json()) as Record<string, string>;
    expect(environ).toMatchObject({
      CONTENT_TYPE: "text/plain",
      CONTENT_LENGTH: "5",
      HTTP_ACCEPT: "text/html, application/json",
      HTTP_COOKIE: "a=1",
      body: "hello",
    });
    expect(environ.HTTP_CONTENT_TYPE).toBeUndefined();
    expect(environ.HTTP_X_SPOOFED).toBeUndefined();
  });

  it("splits SCRIPT_NAME at the mount point and adds host-specific keys from extraEnviron", async () => {
    const handler = toFetchHandler(echoEnviron, {
      scriptName: "/app",
      multiprocess: true,
      extraEnviron: (_request, info) => ({ REMOTE_ADDR: (info as { remoteAddr: string }).remoteAddr }),
    });
    const environ = (await (await handler(new Request("http://localhost/app/users/1"), { remoteAddr: "10.1.2.3" })).json()) as Record<
      string,
      unknown
    >;
    expect(environ).toMatchObject({ SCRIPT_NAME: "/app", PATH_INFO: "/users/1", REMOTE_ADDR: "10.1.2.3", multiprocess: true });
  });

  it("streams the request body into tsgi.input: the app reads the first chunk before the client sends the second", async () => {
    const firstRead = deferred<string>();
    const app: ApplicationFunction = async (environ, startResponse) => {
      const first = await environ["tsgi.input"].read(5);
      firstRead.resolve(decoder.decode(first));
      const rest = await environ["tsgi.input"].read();
      startResponse("200 OK", [["Content-Type", "text/plain"]]);
      return [bytes(`${decoder.decode(first)}|${decoder.decode(rest)}`)];
    };
    let client!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (controller) => void (client = controller) });
    client.enqueue(bytes("first"));
    const pending = toFetchHandler(app)(new Request("http://localhost/", { method: "POST", body, duplex: "half" } as RequestInit));
    expect(await firstRead.promise).toBe("first");
    client.enqueue(bytes("second"));
    client.close();
    expect(await (await pending).text()).toBe("first|second");
  });
});

describe("toFetchHandler: the response", () => {
  it("gives status, reason, headers in order and each Set-Cookie separately", async () => {
    const app: ApplicationFunction = (_environ, startResponse) => {
      startResponse("201 Created", [
        ["Content-Type", "text/plain"],
        ["Set-Cookie", "a=1; Path=/"],
        ["Set-Cookie", "b=2; HttpOnly"],
        ["X-Custom", "yes"],
      ]);
      return [bytes("made")];
    };
    const res = await toFetchHandler(app)(new Request("http://localhost/"));
    expect(res.status).toBe(201);
    expect(res.statusText).toBe("Created");
    expect(res.headers.get("x-custom")).toBe("yes");
    expect(res.headers.getSetCookie()).toEqual(["a=1; Path=/", "b=2; HttpOnly"]);
    expect(res.headers.get("content-length")).toBe("4");
    expect(await res.text()).toBe("made");
  });

  it("streams: the first chunk reaches the consumer before the app produces the last", async () => {
    const firstSeen = deferred();
    let producedLast = false;
    const app: ApplicationFunction = (_environ, startResponse) => {
      startResponse("200 OK", [["Content-Type", "text/plain"]]);
      return (async function* () {
        yield bytes("first;");
        await firstSeen.promise;
        producedLast = true;
        yield bytes("last");
      })();
    };
    const res = await toFetchHandler(app)(new Request("http://localhost/"));
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(decoder.decode(first.value)).toBe("first;");
    expect(producedLast).toBe(false);
    firstSeen.resolve();
    expect(decoder.decode((await reader.read()).value)).toBe("last");
    expect((await reader.read()).done).toBe(true);
  });

  it("respects backpressure: an unread body makes the app wait instead of being buffered", async () => {
    let produced = 0;
    const app: ApplicationFunction = (_environ, startResponse) => {
      startResponse("200 OK", [["Content-Type", "application/octet-stream"]]);
      return (function* () {
        for (let i = 0; i < 1000; i++) {
          produced++;
          yield new Uint8Array(1024);
        }
      })();
    };
    const res = await toFetchHandler(app)(new Request("http://localhost/"));
    // Without pacing, this in-memory app would have run to 1000 within these turns of the event loop.
    await settleEventLoop();
    expect(produced).toBeLessThanOrEqual(3);
    const reader = res.body!.getReader();
    await reader.read();
    await settleEventLoop();
    expect(produced).toBeLessThanOrEqual(4);
    let total = 1024;
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) total += chunk.value.length;
    expect(total).toBe(1000 * 1024);
    expect(produced).toBe(1000);
  });

  it("calls close() when the consumer cancels the body mid-stream", async () => {
    const closed = deferred();
    const app: ApplicationFunction = (_environ, startResponse) => {
      startResponse("200 OK", [["Content-Type", "text/plain"]]);
      const body: ResponseBody = {
        async *[Symbol.asyncIterator]() {
          yield bytes("one");
          yield bytes("two");
          await new Promise(() => {}); // never produces more: only cancellation can end this response
        },
        close: () => closed.resolve(),
      };
      return body;
    };
    const res = await toFetchHandler(app)(new Request("http://localhost/"));
    const reader = res.body!.getReader();
    expect(decoder.decode((await reader.read()).value)).toBe("one");
    await reader.cancel("consumer gone");
    await closed.promise;
  });

  it("calls close() when the request's signal aborts (the host saw the client go away)", async () => {
    const closed = deferred();
    const started = deferred();
    const app: ApplicationFunction = (_environ, startResponse) => {
      startResponse("200 OK", [["Content-Type", "text/plain"]]);
      return {
        async *[Symbol.asyncIterator]() {
          yield bytes("one");
          started.resolve();
          await new Promise(() => {});
        },
        close: () => closed.resolve(),
      };
    };
    const controller = new AbortController();
    const res = await toFetchHandler(app)(new Request("http://localhost/", { signal: controller.signal }));
    const reader = res.body!.getReader();
    await reader.read();
    await started.promise;
    controller.abort();
    await closed.promise;
  });

  it("sends no body for HEAD, 204, 205 and 304, keeping the headers", async () => {
    const statusApp =
      (status: string): ApplicationFunction =>
      (_environ, startResponse) => {
        startResponse(status, [["Content-Type", "text/plain"]]);
        return [bytes("dropped")];
      };
    const head = await toFetchHandler(statusApp("200 OK"))(new Request("http://localhost/", { method: "HEAD" }));
    expect(head.body).toBeNull();
    expect(head.headers.get("content-length")).toBe("7");
    for (const status of ["204 No Content", "205 Reset Content", "304 Not Modified"]) {
      const res = await toFetchHandler(statusApp(status))(new Request("http://localhost/"));
      expect(res.status).toBe(Number(status.slice(0, 3)));
      expect(res.body).toBeNull();
    }
  });

  it("turns an app error before the headers into a 500, and calls close()", async () => {
    let closed = false;
    const app: ApplicationFunction = (_environ, startResponse) => {
      startResponse("200 OK", [["Content-Type", "text/plain"]]);
      return {
        *[Symbol.iterator]() {
          throw new Error("broken before the first byte");
        },
        close: () => void (closed = true),
      };
    };
    const logged: string[] = [];
    const res = await toFetchHandler(app, { onError: (error) => logged.push((error as Error).message) })(new Request("http://localhost/"));
    expect(res.status).toBe(500);
    expect(await res.text()).toBe("Internal Server Error\n");
    expect(logged).toEqual(["broken before the first byte"]);
    expect(closed).toBe(true);
  });

  it("errors the body stream when the app fails after the headers (the consumer sees a cut-off body)", async () => {
    const app: ApplicationFunction = (_environ, startResponse) => {
      startResponse("200 OK", [["Content-Type", "text/plain"]]);
      return (async function* () {
        yield bytes("partial");
        throw new Error("broken mid-body");
      })();
    };
    const res = await toFetchHandler(app, { onError: () => {} })(new Request("http://localhost/"));
    await expect(res.text()).rejects.toThrow("broken mid-body");
  });

  it("answers 500 to a 1xx status, which is never a final response (as every server does)", async () => {
    const errors: unknown[] = [];
    const app: ApplicationFunction = (_environ, startResponse) => {
      startResponse("103 Early Hints", [["Link", "</style.css>; rel=preload"]]);
      return [];
    };
    const res = await toFetchHandler(app, { onError: (error) => void errors.push(error) })(new Request("http://localhost/"));
    expect(res.status).toBe(500);
    expect(res.headers.get("link")).toBeNull();
    expect(String(errors[0])).toContain("103 Early Hints");
  });

  it("refuses something that is not an app with FetchBridgeError", () => {
    expect(() => toFetchHandler(null as unknown as ApplicationFunction)).toThrow(FetchBridgeError);
    expect(() => toFetchHandler("app" as unknown as ApplicationFunction)).toThrow(/needs a TSGI app.*got string/);
  });
});
