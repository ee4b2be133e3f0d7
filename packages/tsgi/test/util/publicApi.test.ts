import { describe, expect, it } from "vitest";
import * as tsgi from "tsgi";
import * as tsgiFetch from "tsgi/fetch";

describe("the utilities, test client, CGI and fetch bridges are exported by name", () => {
  it.each([
    "requestUri",
    "applicationUri",
    "shiftPathInfo",
    "setupTestingDefaults",
    "guessScheme",
    "Headers",
    "callApp",
    "runWithCgi",
    "serveCgi",
    "createCgiHandler",
    "toFetchHandler",
    "fromFetchHandler",
    "InvalidEnvironError",
    "InvalidHeaderError",
    "InvalidTestRequestError",
    "ResponseAbortedError",
    "CgiEnvironmentError",
    "FetchBridgeError",
    "FileWrapper",
    "fileWrapper",
    "InvalidBlockSizeError",
  ])("tsgi exports %s", (name) => {
    expect(typeof (tsgi as Record<string, unknown>)[name]).toBe("function");
  });

  it("tsgi/fetch is the bridges' entry, with the same functions as tsgi", () => {
    expect(tsgiFetch.toFetchHandler).toBe(tsgi.toFetchHandler);
    expect(tsgiFetch.fromFetchHandler).toBe(tsgi.fromFetchHandler);
  });

  it("a hello-world app runs through callApp imported from the package", async () => {
    const res = await tsgi.callApp((_environ, startResponse) => {
      startResponse("200 OK", [["Content-Type", "text/plain"]]);
      return [new TextEncoder().encode("Hello, world!\n")];
    });
    expect(res.status).toBe(200);
    expect(res.text()).toBe("Hello, world!\n");
  });
});
