import { describe, expect, it } from "vitest";
import { runApplication, type ApplicationObject, type ResponseBody } from "../../src/index.js";
import { RecordingSink, makeEnviron } from "./recordingSink.js";

const bytes = (text: string) => new TextEncoder().encode(text);

function closable(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): ResponseBody & { closed: number } {
  const body = Object.assign(chunks, {
    closed: 0,
    close() {
      body.closed++;
    },
  });
  return body;
}

describe("runApplication", () => {
  it("sends status, headers and body, and ends", async () => {
    const sink = new RecordingSink();
    const { environ } = makeEnviron();
    const result = await runApplication((_, start) => {
      start("201 Created", [["Content-Type", "text/plain"]]);
      return [bytes("a"), bytes("bc")];
    }, environ, sink);
    expect(sink.status).toBe("201 Created");
    expect(sink.headers).toEqual([["Content-Type", "text/plain"], ["Content-Length", "3"]]);
    expect(sink.text()).toBe("abc");
    expect(sink.ended).toBe(true);
    expect(result).toMatchObject({ status: "201 Created", bytesSent: 3, aborted: false });
  });

  it("calls an object app's call method", async () => {
    const sink = new RecordingSink();
    const app: ApplicationObject = {
      call(_, start) {
        start("200 OK", [["Content-Type", "text/plain"]]);
        return [bytes("object")];
      },
    };
    await runApplication(app, makeEnviron().environ, sink);
    expect(sink.text()).toBe("object");
  });

  it("sends headers with the first non-empty chunk, not at startResponse", async () => {
    const sink = new RecordingSink();
    const seen: Array<string | undefined> = [];
    async function* body() {
      seen.push(sink.status);
      yield new Uint8Array(0);
      seen.push(sink.status);
      yield bytes("x");
      seen.push(sink.status);
    }
    await runApplication((_, start) => {
      start("200 OK", [["Content-Type", "text/plain"]]);
      return body();
    }, makeEnviron().environ, sink);
    expect(seen).toEqual([undefined, undefined, "200 OK"]);
  });

  it("accepts startResponse called lazily from inside a generator", async () => {
    const sink = new RecordingSink();
    await runApplication(function* (_, start) {
      start("200 OK", [["Content-Type", "text/plain"]]);
      yield bytes("lazy");
    }, makeEnviron().environ, sink);
    expect(sink.status).toBe("200 OK");
    expect(sink.text()).toBe("lazy");
  });

  it("refuses a second startResponse without excInfo (500)", async () => {
    const sink = new RecordingSink();
    await runApplication((_, start) => {
      start("200 OK", [["Content-Type", "text/plain"]]);
      start("404 Not Found", [["Content-Type", "text/plain"]]);
      return [];
    }, makeEnviron().environ, sink);
    expect(sink.status).toBe("500 Internal Server Error");
  });

  it("lets excInfo replace the status before headers are sent", async () => {
    const sink = new RecordingSink();
    await runApplication((_, start) => {
      start("200 OK", [["Content-Type", "text/plain"]]);
      start("500 Oops", [["Content-Type", "text/plain"]], new Error("boom"));
      return [bytes("sorry")];
    }, makeEnviron().environ, sink);
    expect(sink.status).toBe("500 Oops");
    expect(sink.text()).toBe("sorry");
  });

  it("rethrows excInfo once headers are sent, and aborts the connection", async () => {
    const sink = new RecordingSink();
    const boom = new Error("late");
    const result = await runApplication(async (_, start) => {
      const write = start("200 OK", [["Content-Type", "text/plain"]]);
      await write(bytes("partial"));
      start("500 Oops", [["Content-Type", "text/plain"]], boom);
      return [];
    }, makeEnviron().environ, sink);
    expect(result.error).toBe(boom);
    expect(sink.abortError).toBe(boom);
    expect(sink.ended).toBe(false);
  });

  it("answers 500 when the app throws before headers and calls close()", async () => {
    const sink = new RecordingSink();
    const { environ, log } = makeEnviron();
    const body = closable(
      (function* () {
        throw new Error("kaput");
      })(),
    );
    await runApplication((_, start) => {
      start("200 OK", [["Content-Type", "text/plain"]]);
      return body;
    }, environ, sink);
    expect(sink.status).toBe("500 Internal Server Error");
    expect(body.closed).toBe(1);
    expect(log.join("")).toContain("kaput");
  });

  it("uses renderError for the error response", async () => {
    const sink = new RecordingSink();
    await runApplication(
      () => {
        throw new Error("x");
      },
      makeEnviron().environ,
      sink,
      {
        renderError: (error) => ({ status: "500 Debug", headers: [["Content-Type", "text/plain"]], body: bytes(String(error)) }),
        onError: () => {},
      },
    );
    expect(sink.status).toBe("500 Debug");
    expect(sink.text()).toBe("Error: x");
  });

  it("never sends more than Content-Length", async () => {
    const sink = new RecordingSink();
    const { environ, log } = makeEnviron();
    await runApplication(function* (_, start) {
      start("200 OK", [["Content-Type", "text/plain"], ["Content-Length", "3"]]);
      yield bytes("ab");
      yield bytes("cdef");
    }, environ, sink);
    expect(sink.text()).toBe("abc");
    expect(sink.ended).toBe(true);
    expect(log.join("")).toContain("more than its Content-Length");
  });

  it("closes the connection when the body is shorter than Content-Length", async () => {
    const sink = new RecordingSink();
    const { environ, log } = makeEnviron();
    await runApplication(function* (_, start) {
      start("200 OK", [["Content-Type", "text/plain"], ["Content-Length", "10"]]);
      yield bytes("ab");
    }, environ, sink);
    expect(sink.abortError).toBeDefined();
    expect(sink.ended).toBe(false);
    expect(log.join("")).toContain("2 of its Content-Length of 10");
  });

  it("sends no body for HEAD and stops pulling once headers are known", async () => {
    const sink = new RecordingSink();
    let pulled = 0;
    const body = closable(
      (function* () {
        for (;;) {
          pulled++;
          yield bytes("chunk");
        }
      })(),
    );
    await runApplication((_, start) => {
      start("200 OK", [["Content-Type", "text/plain"]]);
      return body;
    }, makeEnviron({ REQUEST_METHOD: "HEAD" }).environ, sink);
    expect(sink.status).toBe("200 OK");
    expect(sink.chunks).toEqual([]);
    expect(pulled).toBe(1);
    expect(body.closed).toBe(1);
  });

  it("sends no body on 204 and 304", async () => {
    for (const status of ["204 No Content", "304 Not Modified"]) {
      const sink = new RecordingSink();
      await runApplication((_, start) => {
        start(status, []);
        return [bytes("ignored")];
      }, makeEnviron().environ, sink);
      expect(sink.chunks).toEqual([]);
      expect(sink.headers).toEqual([]);
    }
  });

  it("stops iterating and calls close() when the client goes away", async () => {
    const sink = new RecordingSink();
    let release!: () => void;
    const parked = new Promise<void>((resolve) => (release = resolve));
    const body = closable(
      (async function* () {
        yield bytes("first");
        await parked; // an SSE stream waiting for an event that never comes
        yield bytes("never");
      })(),
    );
    const running = runApplication((_, start) => {
      start("200 OK", [["Content-Type", "text/event-stream"]]);
      return body;
    }, makeEnviron().environ, sink);
    await new Promise<void>((resolve) => setImmediate(resolve));
    sink.controller.abort();
    const result = await running;
    expect(result.aborted).toBe(true);
    expect(body.closed).toBe(1);
    expect(sink.text()).toBe("first");
    release();
  });

  it.each([
    ["a bad status", "200", [["Content-Type", "text/plain"]]],
    ["a header name with a space", "200 OK", [["Bad Name", "x"]]],
    ["a header value with CR LF", "200 OK", [["X-A", "a\r\nInjected: yes"]]],
    ["a hop-by-hop header", "200 OK", [["Connection", "close"]]],
    ["a non-numeric Content-Length", "200 OK", [["Content-Length", "ten"]]],
  ])("answers 500 for %s", async (_, status, headers) => {
    const sink = new RecordingSink();
    const { environ } = makeEnviron();
    await runApplication((_, start) => {
      start(status as string, headers as Array<[string, string]>);
      return [];
    }, environ, sink, { onError: () => {} });
    expect(sink.status).toBe("500 Internal Server Error");
  });

  it.each([
    ["a Uint8Array instead of a list", () => bytes("oops")],
    ["a string", () => "oops"],
    ["null", () => null],
  ])("answers 500 when the app returns %s", async (_, make) => {
    const sink = new RecordingSink();
    await runApplication((_, start) => {
      start("200 OK", [["Content-Type", "text/plain"]]);
      return make() as unknown as ResponseBody;
    }, makeEnviron().environ, sink, { onError: () => {} });
    expect(sink.status).toBe("500 Internal Server Error");
  });

  it("supports the legacy write() path", async () => {
    const sink = new RecordingSink();
    await runApplication(async (_, start) => {
      const write = start("200 OK", [["Content-Type", "text/plain"]]);
      await write(bytes("one "));
      await write(bytes("two"));
      return [];
    }, makeEnviron().environ, sink);
    expect(sink.text()).toBe("one two");
  });
});
