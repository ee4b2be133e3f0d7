import { describe, expect, it } from "vitest";
import { buildTestEnviron } from "tsgi";
import { HttpHeaders } from "../src/http/headers.js";

describe("request.headers, built on first read", () => {
  it("gives every HTTP_* key, Content-Type and Content-Length, case-insensitively, as an eager copy would", () => {
    const environ = buildTestEnviron({ method: "POST", path: "/", headers: { Host: "example.com", "X-Forwarded-For": "1.2.3.4", "Content-Type": "text/plain", "Accept-Language": "en" }, body: Buffer.from("hi") });
    const headers = new HttpHeaders(environ);
    const eager = Object.entries(environ)
      .filter(([key, value]) => typeof value === "string" && HttpHeaders.nameFromEnvironKey(key) !== undefined)
      .map(([key, value]) => [HttpHeaders.nameFromEnvironKey(key), value]);
    expect([...headers]).toEqual(eager);
    expect(headers.get("x-forwarded-for")).toBe("1.2.3.4");
    expect(headers.has("CONTENT-TYPE")).toBe(true);
    expect(headers.get("Cookie")).toBeUndefined();
    expect(headers.toObject()).toEqual(Object.fromEntries(eager));
  });

  it("iterates before any get, and get works after iterating", () => {
    const headers = new HttpHeaders(buildTestEnviron({ path: "/", headers: { "User-Agent": "ua" } }));
    expect(Object.fromEntries(headers)["User-Agent"]).toBe("ua");
    expect(headers.get("user-agent")).toBe("ua");
  });
});
