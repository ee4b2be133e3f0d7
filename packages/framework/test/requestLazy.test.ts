import { describe, expect, it } from "vitest";
import { buildTestEnviron, type Environ } from "tsgi";
import { BadRequest } from "../src/exceptions.js";
import { parseContentType } from "../src/http/contentType.js";
import { parseCookies } from "../src/http/cookies.js";
import { HttpRequest } from "../src/http/request.js";
import { defineSettings } from "../src/settings/defineSettings.js";

// HttpRequest builds COOKIES, headers, the content type and the body reader on first use, and
// takes PATH_INFO as the path when there is no mount point. Each must equal the eager computation.
const settings = defineSettings({ SECRET_KEY: "lazy-request-test", ALLOWED_HOSTS: ["*"] });

function environ(extra: Partial<Environ>, headers: Record<string, string> = {}): Environ {
  return { ...buildTestEnviron({ method: "POST", path: "/", headers }), ...extra };
}

const cases: Array<[string, Environ]> = [
  ["plain", environ({})],
  ["cookies", environ({}, { cookie: "a=1; b=hello%20world; a=2; bad; c=%E2%82%AC" })],
  ["empty cookie header", environ({}, { cookie: "" })],
  ["content type with params", environ({ CONTENT_TYPE: 'Multipart/Form-Data; boundary="x y"; Charset=UTF-8' })],
  ["mounted", environ({ SCRIPT_NAME: "/app", PATH_INFO: "/page/" })],
  ["mounted with slash", environ({ SCRIPT_NAME: "/app/", PATH_INFO: "page" })],
  ["no leading slash", environ({ SCRIPT_NAME: "", PATH_INFO: "page/" })],
  ["empty path", environ({ SCRIPT_NAME: "", PATH_INFO: "" })],
  ["double slash", environ({ SCRIPT_NAME: "", PATH_INFO: "//x//" })],
  ["non-ASCII path", environ({ PATH_INFO: Buffer.from("/é/", "utf8").toString("latin1") })],
  ["query", environ({ QUERY_STRING: "q=%C3%A9&x=1+2" })],
];

describe("HttpRequest's lazy views", () => {
  for (const [label, env] of cases) {
    it(`equal the eager computation: ${label}`, () => {
      const request = new HttpRequest(env, settings);
      expect(request.COOKIES).toEqual(parseCookies(typeof env.HTTP_COOKIE === "string" ? env.HTTP_COOKIE : undefined));
      expect(request.COOKIES).toBe(request.COOKIES);
      const { mediaType, params } = parseContentType(env.CONTENT_TYPE);
      expect(request.contentType).toBe(mediaType);
      expect(request.contentParams).toEqual(params);
      const scriptName = request.scriptName;
      expect(request.path).toBe(`${scriptName.replace(/\/+$/, "")}/${request.pathInfo.replace(/^\//, "")}`);
      expect(request.headers).toBe(request.headers);
      expect(request.headers.toObject()).toEqual(Object.fromEntries(Object.entries(env).flatMap(([key, value]) => {
        if (typeof value !== "string") return [];
        if (key === "CONTENT_TYPE" || key === "CONTENT_LENGTH" || key.startsWith("HTTP_")) return [[key.replace(/^HTTP_/, "").split("_").map((p) => p.charAt(0) + p.slice(1).toLowerCase()).join("-"), value]];
        return [];
      })));
      expect(request.needsCleanup).toBe(false);
    });
  }

  it("still refuses a query string that is not UTF-8 when the request is built", () => {
    expect(() => new HttpRequest(environ({ QUERY_STRING: "q=%FF" }), settings)).toThrow(BadRequest);
    expect(() => new HttpRequest(environ({ QUERY_STRING: "" }), settings)).not.toThrow();
  });

  it("reads the body through the reader made on first use, and then needs cleanup", async () => {
    const env = { ...buildTestEnviron({ method: "POST", path: "/", headers: { "content-type": "application/x-www-form-urlencoded" }, body: Buffer.from("a=1&b=%C3%A9") }) };
    const request = new HttpRequest(env, settings);
    expect(request.needsCleanup).toBe(false);
    const form = await request.POST();
    expect(form.get("b")).toBe("é");
    expect(request.needsCleanup).toBe(true);
    await request.cleanup();
  });
});

describe("getHost's remembered hosts", () => {
  // Hosts found allowed are remembered per ALLOWED_HOSTS list; every answer must equal a fresh check.
  const hosts = ["example.com", "EXAMPLE.com", "example.com.", "api.example.com", "example.com:8000", "evil.com", "example.com.evil.com", "[::1]", "bad host", "", "localhost"];
  const fresh = (allowed: string[], host: string): string | Error => {
    const request = new HttpRequest({ ...buildTestEnviron({ path: "/" }), HTTP_HOST: host }, defineSettings({ SECRET_KEY: "x", ALLOWED_HOSTS: [...allowed] }));
    try {
      return request.getHost();
    } catch (error) {
      return error as Error;
    }
  };

  it("answers as a fresh check, before and after a host was seen, and after the list changed in place", () => {
    const allowed = ["example.com", ".example.com", "[::1]"];
    const shared = defineSettings({ SECRET_KEY: "x", ALLOWED_HOSTS: allowed });
    const ask = (host: string): string | Error => {
      try {
        return new HttpRequest({ ...buildTestEnviron({ path: "/" }), HTTP_HOST: host }, shared).getHost();
      } catch (error) {
        return error as Error;
      }
    };
    for (let round = 0; round < 2; round++) {
      for (const host of hosts) expect(ask(host), host).toEqual(fresh(allowed, host));
    }
    allowed.splice(0, allowed.length, "localhost");
    for (const host of hosts) expect(ask(host), `${host} after the change`).toEqual(fresh(["localhost"], host));
    expect(ask("example.com")).toBeInstanceOf(Error);
  });
});
