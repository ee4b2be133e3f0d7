import { describe, expect, it } from "vitest";
import { BadHeaderError } from "../src/exceptions.js";
import { httpDate, httpDateAt, librarySetCookie, makeCookie, parseCookies, serializeCookie, type CookieOptions, type ResponseCookie } from "../src/http/cookies.js";
import { ResponseHeaderMap } from "../src/http/response/headerMap.js";
import { HttpResponse } from "../src/http/response/httpResponse.js";
import { JsonResponse } from "../src/http/response/json.js";
import { patchVaryHeaders } from "../src/middleware/conditional.js";

// serializeCookie writes common cookies directly; the cookie library must give the same bytes
// (its Set-Cookie plus our Expires), and refuse what it refuses.
const viaLibrary = (cookie: ResponseCookie): string => {
  const expires = cookie.options.expires;
  return librarySetCookie(cookie) + (expires === undefined ? "" : `; Expires=${typeof expires === "string" ? expires : httpDate(expires)}`);
};

const names = ["sessionid", "csrftoken", "__Host-id", "a!#$%&'*+-.^_`|~z"];
const values = ["", "abc", "a b", "é€😀", "x=y;z", "q3k0vd8l1rj6q3k0vd8l1rj6q3k0vd8l", '"quoted"\\', "%41"];
const optionSets: CookieOptions[] = [
  {},
  { maxAge: 0 },
  { maxAge: 1209600 },
  { maxAge: 31449600, path: "/", secure: true, httpOnly: true, sameSite: "Lax" },
  { sameSite: "strict" },
  { sameSite: "None", secure: true },
  { path: "/app/", httpOnly: true },
  { path: "" },
  { domain: "example.com", path: "/" },
  { domain: ".sub.example.com", maxAge: 60, sameSite: "lax" },
  { expires: "Thu, 01 Jan 1970 00:00:00 GMT", maxAge: 0 },
  { expires: new Date(Date.UTC(2030, 0, 2, 3, 4, 5)) },
  { secure: false, httpOnly: false },
];

describe("serializeCookie's direct path", () => {
  it("writes every tried cookie byte for byte as the cookie library", () => {
    let compared = 0;
    for (const name of names) {
      for (const value of values) {
        for (const options of optionSets) {
          const cookie = makeCookie(name, value, options);
          expect(serializeCookie(cookie), JSON.stringify(cookie)).toBe(viaLibrary(cookie));
          // Hand-built too, without makeCookie's defaults (no Path, Expires as given).
          const raw: ResponseCookie = { name, value, options };
          expect(serializeCookie(raw), JSON.stringify(raw)).toBe(viaLibrary(raw));
          compared += 2;
        }
      }
    }
    expect(compared).toBe(names.length * values.length * optionSets.length * 2);
  });

  it("refuses what the library refuses, with its errors", () => {
    const bad: ResponseCookie[] = [
      { name: "a", value: "b", options: { maxAge: 1.5 } },
      { name: "a", value: "b", options: { sameSite: "constructor" as "lax" } },
      { name: "a;b", value: "c", options: {} },
      { name: "a", value: "b", options: { path: "/a;b" } },
      { name: "a", value: "b", options: { domain: "exa mple.com" } },
      { name: "a", value: "\ud800", options: {} },
    ];
    for (const cookie of bad) {
      let libraryError: unknown;
      try {
        viaLibrary(cookie);
      } catch (error) {
        libraryError = error;
      }
      expect(libraryError, JSON.stringify(cookie)).toBeInstanceOf(Error);
      expect(() => serializeCookie(cookie)).toThrow((libraryError as Error).message);
    }
  });
});

describe("httpDateAt", () => {
  it("formats as httpDate does, whole seconds, fractions and edge values included", () => {
    const now = Date.now();
    const times = [0, 999, 1000, 1000.5, 1_700_000_000_999.9, now, now + 1209600_000, now + 31449600_000, -1, -1500, -1999, Number.NaN, 8.64e15];
    for (let i = 0; i < 3000; i++) times.push(now + i * 337.3);
    for (const time of times) expect(httpDateAt(time), String(time)).toBe(httpDate(time));
  });
});

describe("ResponseHeaderMap with remembered names", () => {
  it("keeps the checks and their messages", () => {
    const headers = new ResponseHeaderMap();
    headers.set("X-Thing", "1");
    headers.set("X-Thing", 2);
    expect(headers.get("x-thing")).toBe("2");
    expect(headers.toList()).toEqual([["X-Thing", "2"]]);
    headers.set("x-THING", "3");
    expect(headers.toList()).toEqual([["x-THING", "3"]]);
    expect(() => headers.set("Bad Name", "x")).toThrow(new BadHeaderError('Invalid header name "Bad Name".'));
    expect(() => headers.set("Bad Name", "x")).toThrow(BadHeaderError);
    expect(() => headers.set("X-Thing", "a\r\nb")).toThrow("Header values can't contain newlines");
    expect(() => headers.set("X-Thing", "a\0b")).toThrow("Header values can't contain newlines");
    expect(() => headers.set("X-Thing", "é€")).toThrow("Header X-Thing must be latin-1");
    expect(() => headers.set("X-Thing", "\u0100\n")).toThrow("Header values can't contain newlines");
    headers.set("X-Latin", "é");
    expect([...headers]).toEqual([...headers.toList()]);
    expect(headers.toList()).not.toBe(headers.toList());
  });
});

describe("patchVaryHeaders' one-name path", () => {
  /** The general steps, as they were before the shortcut. */
  function general(current: string | undefined, names: readonly string[]): string | undefined {
    const existing = (current ?? "").split(",").map((name) => name.trim()).filter(Boolean);
    if (existing.includes("*")) return current;
    const seen = new Set(existing.map((name) => name.toLowerCase()));
    for (const name of names) {
      if (!seen.has(name.toLowerCase())) {
        existing.push(name);
        seen.add(name.toLowerCase());
      }
    }
    return existing.includes("*") ? "*" : existing.join(", ");
  }

  it("gives the general result for every tried header and name", () => {
    const currents = [undefined, "", "Cookie", "cookie", " Cookie ", "Accept, Cookie", "*", "Accept-Encoding", "Cookie,Cookie"];
    const nameLists = [["Cookie"], ["cookie"], ["*"], [""], ["Accept-Encoding"], ["Cookie", "Accept"], ["A, B"]];
    for (const current of currents) {
      for (const names of nameLists) {
        const response = new HttpResponse("x");
        if (current !== undefined) response.headers.set("vary", current);
        patchVaryHeaders(response, names);
        expect(response.headers.get("Vary"), `${JSON.stringify(current)} + ${JSON.stringify(names)}`).toBe(general(current, names));
      }
    }
  });
});

describe("JsonResponse without options", () => {
  it("answers as with an empty options object: same bytes, headers and status, same refusals", () => {
    const data: unknown[] = [{}, { a: 1, b: [1, "é", null], c: { d: "<\u2028>" } }, { toJSON: () => ({ x: 1 }) }, Object.create(null), new Map([["a", 1]])];
    for (const value of data) {
      const fast = new JsonResponse(value);
      const slow = new JsonResponse(value, {});
      expect([...fast.content]).toEqual([...slow.content]);
      expect(fast.headers.toList()).toEqual(slow.headers.toList());
      expect(fast.statusLine).toBe(slow.statusLine);
    }
    for (const value of [[1], null, "text", 3, undefined, { toJSON: () => undefined }]) {
      let expected: unknown;
      try {
        new JsonResponse(value, {});
      } catch (error) {
        expected = error;
      }
      expect(expected, String(value)).toBeInstanceOf(TypeError);
      expect(() => new JsonResponse(value)).toThrow((expected as Error).message);
    }
  });
});

describe("parseCookies without an array of pairs", () => {
  it("gives what the loop over Object.entries gave, in the same order", async () => {
    const { parse } = await import("cookie");
    const headers = ["a=1", "a=1; b=hello%20world; a=2", "bad; c=%E2%82%AC; d=", " x = y ; z=\"q\"", "__proto__=1; constructor=2; toString=3", "=v; k=", "e=%ZZ"];
    for (const header of headers) {
      // The earlier code, as it was (a `__proto__` cookie is dropped by the plain object, then and now).
      const before: Record<string, string> = {};
      for (const [name, value] of Object.entries(parse(header))) if (value !== undefined) before[name] = value;
      expect(Object.entries(parseCookies(header)), header).toEqual(Object.entries(before));
    }
    expect(parseCookies(undefined)).toEqual({});
    expect(parseCookies("")).toEqual({});
  });
});
