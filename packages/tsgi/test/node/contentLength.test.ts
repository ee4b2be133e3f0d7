import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkStartResponse, InvalidResponseError, type ResponseHeaders } from "../../src/index.js";
import { startQuietServer } from "./quietServer.js";
import { RawConnection, headerValues } from "../../src/conformance/index.js";

// SPEC.md, "The startResponse() Callable": "Content-Length, when given, is given once, as decimal digits",
// and a server MUST NOT send more bytes than declared. Two Content-Length fields make a response that RFC 9112
// section 6.3 calls unrecoverable (a proxy may frame it either way: response splitting).
const TWICE: ResponseHeaders = [
  ["Content-Type", "text/plain"],
  ["Content-Length", "3"],
  ["Content-Length", "5"],
];

let server: Awaited<ReturnType<typeof startQuietServer>>;
let url: string;
beforeAll(async () => {
  server = await startQuietServer((_environ, startResponse) => {
    startResponse("200 OK", TWICE);
    return [new TextEncoder().encode("abcde")];
  });
  url = server.url;
});
afterAll(() => server.close());

describe("a Content-Length given twice", () => {
  it("is refused by the server's startResponse checks", () => {
    expect(() => checkStartResponse("200 OK", TWICE)).toThrow(InvalidResponseError);
  });

  it("becomes a 500 on the wire, never two Content-Length fields", async () => {
    const connection = await RawConnection.open(url);
    try {
      await connection.send({ target: "/", headers: [["Connection", "close"]] });
      const response = await connection.readResponse();
      expect(headerValues(response.headers, "content-length").length).toBeLessThanOrEqual(1);
      expect(response.statusCode).toBe(500);
    } finally {
      connection.close();
    }
  });
});

describe("a 204 response", () => {
  it("goes out without the Content-Length an app gave it (RFC 9110 section 8.6)", async () => {
    const noContent = await startQuietServer((_environ, startResponse) => {
      startResponse("204 No Content", [["Content-Length", "5"]]);
      return [new TextEncoder().encode("abcde")];
    });
    const connection = await RawConnection.open(noContent.url);
    try {
      await connection.send({ target: "/", headers: [["Connection", "close"]] });
      const response = await connection.readResponse();
      expect(response.statusCode).toBe(204);
      expect(headerValues(response.headers, "content-length")).toEqual([]);
    } finally {
      connection.close();
      await noContent.close();
    }
  });
});
