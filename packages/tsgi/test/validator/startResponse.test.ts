import { describe, expect, it } from "vitest";
import { validator, type ApplicationFunction, type StartResponse, type ValidationRule, type WriteFn } from "../../src/index.js";
import { encode, expectRule, expectServedViolation, expectViolation, makeEnviron, serve } from "./helpers.js";

type LooseStartResponse = (...args: unknown[]) => WriteFn;

/** An app that calls startResponse with exactly `args` (typed loosely on purpose) and returns a small body. */
function appStarting(...args: unknown[]): ApplicationFunction {
  return (_environ, startResponse) => {
    (startResponse as LooseStartResponse)(...args);
    return [encode("body")];
  };
}

async function expectStartViolation(rule: ValidationRule, ...args: unknown[]): Promise<void> {
  const served = await serve(validator(appStarting(...args)));
  expect(expectServedViolation(served, rule).side).toBe("application");
}

const TEXT: Array<[string, string]> = [["Content-Type", "text/plain"]];

describe("validator: startResponse arguments (application side)", () => {
  it("start-response-arguments: two or three arguments", async () => {
    await expectStartViolation("start-response-arguments", "200 OK");
    await expectStartViolation("start-response-arguments", "200 OK", TEXT, undefined, "extra");
  });

  it("status-type: the status is a string", async () => {
    await expectStartViolation("status-type", 200, TEXT);
  });

  it("status-format: three digits, a space, a reason", async () => {
    await expectStartViolation("status-format", "200", TEXT);
    await expectStartViolation("status-format", "200OK", TEXT);
    await expectStartViolation("status-format", "OK 200", TEXT);
    await expectStartViolation("status-format", "2000 OK", TEXT);
  });

  it("status-code-range: the code is 200..599 (a 1xx is not a final response)", async () => {
    await expectStartViolation("status-code-range", "099 Too Low", TEXT);
    await expectStartViolation("status-code-range", "100 Continue", []);
    await expectStartViolation("status-code-range", "103 Early Hints", [["Link", "</a.css>; rel=preload"]]);
    await expectStartViolation("status-code-range", "600 Custom", TEXT);
  });

  it("status-reason-chars: no CR/LF or non-latin-1 in the reason", async () => {
    await expectStartViolation("status-reason-chars", "200 OK\r\nX-Injected: 1", TEXT);
    await expectStartViolation("status-reason-chars", "200 \u2713", TEXT);
  });

  it("headers-type: headers is an array", async () => {
    await expectStartViolation("headers-type", "200 OK", { "Content-Type": "text/plain" });
  });

  it("header-item-shape: each header is a [name, value] pair", async () => {
    await expectStartViolation("header-item-shape", "200 OK", [["Content-Type", "text/plain", "extra"]]);
    await expectStartViolation("header-item-shape", "200 OK", ["Content-Type: text/plain"]);
  });

  it("header-name-type: header names are strings", async () => {
    await expectStartViolation("header-name-type", "200 OK", [[42, "x"], ...TEXT]);
  });

  it("header-value-type: header values are strings", async () => {
    await expectStartViolation("header-value-type", "200 OK", [...TEXT, ["Content-Length", 4]]);
  });

  it("header-status-forbidden: no Status header", async () => {
    await expectStartViolation("header-status-forbidden", "200 OK", [...TEXT, ["status", "404 Not Found"]]);
  });

  it("header-name-token: names are tokens", async () => {
    await expectStartViolation("header-name-token", "200 OK", [...TEXT, ["X Bad", "1"]]);
    await expectStartViolation("header-name-token", "200 OK", [...TEXT, ["X-Bad:", "1"]]);
    await expectStartViolation("header-name-token", "200 OK", [...TEXT, ["", "1"]]);
  });

  it("header-name-trailing-separator: names do not end in - or _", async () => {
    await expectStartViolation("header-name-trailing-separator", "200 OK", [...TEXT, ["X-Trace-", "1"]]);
    await expectStartViolation("header-name-trailing-separator", "200 OK", [...TEXT, ["X_", "1"]]);
  });

  it("header-value-chars: no CR, LF, NUL or other control characters", async () => {
    await expectStartViolation("header-value-chars", "200 OK", [...TEXT, ["X-Split", "a\r\nSet-Cookie: evil=1"]]);
    await expectStartViolation("header-value-chars", "200 OK", [...TEXT, ["X-Nul", "a\u0000b"]]);
    await expectStartViolation("header-value-chars", "200 OK", [...TEXT, ["X-Del", "a\u007fb"]]);
  });

  it("header-value-latin1: values are latin-1 strings", async () => {
    await expectStartViolation("header-value-latin1", "200 OK", [...TEXT, ["Content-Disposition", "attachment; filename=\u20ac.txt"]]);
  });

  it.each(["Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "TE", "Trailer", "Proxy-Authenticate", "Proxy-Authorization", "transfer-encoding"])(
    "header-hop-by-hop: an app may not set %s",
    async (name) => {
      await expectStartViolation("header-hop-by-hop", "200 OK", [...TEXT, [name, "x"]]);
    },
  );

  it("content-type-required: a 200 without Content-Type is refused", async () => {
    await expectStartViolation("content-type-required", "200 OK", [["Content-Length", "4"]]);
    await expectStartViolation("content-type-required", "302 Found", [["Location", "/elsewhere"]]);
  });

  it.each(["204 No Content", "304 Not Modified"])("content-type-forbidden: no Content-Type on %s", async (status) => {
    await expectStartViolation("content-type-forbidden", status, TEXT);
  });

  it("content-length-format: one non-negative integer", async () => {
    await expectStartViolation("content-length-format", "200 OK", [...TEXT, ["Content-Length", "4 bytes"]]);
    await expectStartViolation("content-length-format", "200 OK", [...TEXT, ["Content-Length", "-4"]]);
    await expectStartViolation("content-length-format", "200 OK", [...TEXT, ["Content-Length", "4"], ["content-length", "4"]]);
  });

  it("content-length-forbidden: no Content-Length on 204", async () => {
    await expectStartViolation("content-length-forbidden", "204 No Content", [["Content-Length", "0"]]);
  });

  it("exc-info-type: excInfo is undefined or an Error", async () => {
    await expectStartViolation("exc-info-type", "500 Internal Server Error", TEXT, "boom");
    await expectStartViolation("exc-info-type", "500 Internal Server Error", TEXT, null);
  });

  it("start-response-repeated: a second call needs excInfo", async () => {
    const app = validator((_environ, startResponse) => {
      startResponse("200 OK", TEXT);
      startResponse("404 Not Found", TEXT);
      return [];
    });
    expectServedViolation(await serve(app), "start-response-repeated");
  });

  it("write-chunk-type: write() takes a Uint8Array", async () => {
    const app = validator(async (_environ, startResponse) => {
      const write = startResponse("200 OK", TEXT);
      await (write as (chunk: unknown) => Promise<void>)("text");
      return [];
    });
    expectServedViolation(await serve(app), "write-chunk-type");
  });
});

describe("validator: what the server's startResponse does (server side)", () => {
  const okApp = validator((_environ, startResponse) => {
    void startResponse("200 OK", TEXT)(encode("x")).catch(() => {});
    return [];
  });

  it("server-start-response-return: startResponse returns write()", async () => {
    const serverStartResponse = (() => undefined) as unknown as StartResponse;
    const error = await expectViolation(() => okApp(makeEnviron(), serverStartResponse), "server-start-response-return");
    expect(error.side).toBe("server");
  });

  it("server-write-return: write() returns a promise", async () => {
    const serverStartResponse = (() => () => undefined) as unknown as StartResponse;
    await expectViolation(() => okApp(makeEnviron(), serverStartResponse), "server-write-return");
  });

  it("exc-info-not-rethrown: after headers are sent, startResponse(..., excInfo) must throw", async () => {
    const failure = new Error("late failure");
    let seen: unknown;
    const app = validator((_environ, startResponse) => {
      const write = startResponse("200 OK", TEXT);
      void write(encode("part")).catch(() => {});
      try {
        startResponse("500 Internal Server Error", TEXT, failure);
      } catch (error) {
        seen = error;
      }
      return [];
    });
    // A non-conforming server: it accepts a late excInfo call.
    const lenient = (() => async () => {}) as StartResponse;
    app(makeEnviron(), lenient);
    const error = expectRule(seen, "exc-info-not-rethrown");
    expect(error.cause).toBe(failure);

    // A conforming server (runApplication) rethrows excInfo itself, and the validator lets it through.
    const served = await serve(app);
    expect(seen).toBe(failure);
    expect(served.result.error).toBeUndefined();
  });
});
