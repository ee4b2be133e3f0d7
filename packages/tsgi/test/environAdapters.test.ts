/**
 * In-process half of "every server builds its environ through the assembler": the request
 * vectors prove it for servers in their own processes with the assembler probe (a module
 * hook). Here vitest loads the real assembler module with one key added to what it returns,
 * and every in-process adapter (node:http, fetch, CGI variables, the test client) must give
 * the app an environ carrying that key. An adapter that built or copied its own would not.
 */
import { describe, expect, it, vi } from "vitest";
import type { ApplicationFunction, Environ } from "../src/types.js";

const MARK = "in-process-assembler-mark";

vi.mock("../src/environ/assembleEnviron.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../src/environ/assembleEnviron.js")>();
  return {
    ...original,
    assembleEnviron: (...args: Parameters<typeof original.assembleEnviron>) => {
      const environ = original.assembleEnviron(...args);
      environ["conformance.assembler_mark"] = MARK;
      return environ;
    },
  };
});

const { createServer } = await import("../src/node/createServer.js");
const { toFetchHandler } = await import("../src/fetch/toFetchHandler.js");
const { environFromCgi } = await import("../src/cgi/cgiEnviron.js");
const { callApp } = await import("../src/testing/callApp.js");
const { createMemoryErrorStream } = await import("../src/util/memoryErrorStream.js");

/** An app that keeps the environ it was given. */
function recordingApp(): { app: ApplicationFunction; seen: Environ[] } {
  const seen: Environ[] = [];
  return {
    seen,
    app(environ, startResponse) {
      seen.push(environ);
      startResponse("200 OK", [["Content-Length", "0"]]);
      return [];
    },
  };
}

describe("every in-process adapter builds its environ through assembleEnviron", () => {
  it("createServer (node:http)", async () => {
    const { app, seen } = recordingApp();
    const server = createServer(app, { errors: createMemoryErrorStream() });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as import("node:net").AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/node?x=1`);
      expect(response.status).toBe(200);
      expect(seen[0]?.["conformance.assembler_mark"]).toBe(MARK);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("toFetchHandler (fetch Request)", async () => {
    const { app, seen } = recordingApp();
    const response = await toFetchHandler(app)(new Request("http://example.com/fetch?x=1"));
    expect(response.status).toBe(200);
    expect(seen[0]?.["conformance.assembler_mark"]).toBe(MARK);
  });

  it("environFromCgi (CGI meta-variables, also uwsgi's path)", () => {
    const environ = environFromCgi({
      env: { REQUEST_METHOD: "GET", PATH_INFO: "/cgi", QUERY_STRING: "", SERVER_NAME: "example.com", SERVER_PORT: "80", SERVER_PROTOCOL: "HTTP/1.1" },
      stdin: (async function* () {})(),
      errors: createMemoryErrorStream(),
    });
    expect(environ["conformance.assembler_mark"]).toBe(MARK);
  });

  it("callApp (the test client)", async () => {
    const { app, seen } = recordingApp();
    const response = await callApp(app, { path: "/test-client" });
    expect(response.status).toBe(200);
    expect(seen[0]?.["conformance.assembler_mark"]).toBe(MARK);
  });
});
