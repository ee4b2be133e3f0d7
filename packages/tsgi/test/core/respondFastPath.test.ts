import { describe, expect, it } from "vitest";
import { runApplication, type Application, type ResponseHeaders } from "../../src/index.js";
import { RecordingSink, makeEnviron } from "./recordingSink.js";

const bytes = (text: string) => new TextEncoder().encode(text);

/** A sink that offers the one-step `respond` and records whether it was taken. */
class RespondingSink extends RecordingSink {
  responded = 0;
  respond(status: string, headers: ResponseHeaders, body: Uint8Array): void {
    this.responded++;
    this.sendHeaders(status, headers);
    this.write(body);
    this.end();
  }
}

function app(status: string, headers: ResponseHeaders, body: Uint8Array[]): Application {
  return (_, start) => {
    start(status, headers);
    return body;
  };
}

async function run(application: Application, method = "GET") {
  const sink = new RespondingSink();
  const { environ, log } = makeEnviron({ REQUEST_METHOD: method });
  const result = await runApplication(application, environ, sink);
  return { sink, result, log };
}

describe("runApplication's complete-response fast path (sink.respond)", () => {
  it("sends a one-chunk array body in one step, with its Content-Length", async () => {
    const { sink, result } = await run(app("200 OK", [["Content-Type", "text/plain"]], [bytes("hello")]));
    expect(sink.responded).toBe(1);
    expect(sink.headers).toEqual([["Content-Type", "text/plain"], ["Content-Length", "5"]]);
    expect(sink.text()).toBe("hello");
    expect(result).toMatchObject({ status: "200 OK", bytesSent: 5, aborted: false });
  });

  it("sends an empty array body in one step with Content-Length 0", async () => {
    const { sink } = await run(app("200 OK", [["Content-Type", "text/plain"]], []));
    expect(sink.responded).toBe(1);
    expect(sink.headers).toContainEqual(["Content-Length", "0"]);
  });

  it("keeps a matching declared Content-Length as it is", async () => {
    const { sink } = await run(app("200 OK", [["Content-Type", "text/plain"], ["Content-Length", "2"]], [bytes("ok")]));
    expect(sink.responded).toBe(1);
    expect(sink.headers).toEqual([["Content-Type", "text/plain"], ["Content-Length", "2"]]);
  });

  it("sends a sync app's write() output and then its returned chunk, in order, through the general path", async () => {
    const { sink } = await run((_, start) => {
      const write = start("200 OK", [["Content-Type", "text/plain"]]);
      void write(bytes("written "));
      return [bytes("returned")];
    });
    expect(sink.responded).toBe(0);
    expect(sink.text()).toBe("written returned");
    expect(sink.ended).toBe(true);
  });

  it("answers a sync app that throws with a 500", async () => {
    const { sink, result } = await run(() => {
      throw new Error("boom");
    });
    expect(sink.status).toBe("500 Internal Server Error");
    expect(result.error).toBeInstanceOf(Error);
  });

  it("leaves to the general path what needs its rules: wrong length, HEAD, 204, several chunks, bad chunks", async () => {
    const tooLong = await run(app("200 OK", [["Content-Type", "text/plain"], ["Content-Length", "2"]], [bytes("four")]));
    expect(tooLong.sink.responded).toBe(0);
    expect(tooLong.sink.text()).toBe("fo");
    expect(tooLong.log.join("")).toContain("more than its Content-Length");

    const head = await run(app("200 OK", [["Content-Type", "text/plain"]], [bytes("body")]), "HEAD");
    expect(head.sink.responded).toBe(0);
    expect(head.sink.text()).toBe("");

    const noContent = await run(app("204 No Content", [], [bytes("")]));
    expect(noContent.sink.responded).toBe(0);

    const two = await run(app("200 OK", [["Content-Type", "text/plain"]], [bytes("a"), bytes("b")]));
    expect(two.sink.responded).toBe(0);
    expect(two.sink.text()).toBe("ab");

    const bad = await run(app("200 OK", [["Content-Type", "text/plain"]], ["text" as unknown as Uint8Array]));
    expect(bad.sink.responded).toBe(0);
    expect(bad.sink.status).toBe("500 Internal Server Error");
  });
});
