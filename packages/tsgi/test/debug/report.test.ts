import { describe, expect, it } from "vitest";
import { setupTestingDefaults } from "../../src/index.js";
import {
  buildErrorReport,
  cleanse,
  display,
  environSections,
  escapeHtml,
  framesFromCompileError,
  MASK,
  maskIfSensitive,
  parseStack,
  renderDebugResponse,
  renderHtmlReport,
  renderTextReport,
  wantsHtml,
} from "../../src/debug/index.js";

describe("masking", () => {
  it.each(["HTTP_COOKIE", "HTTP_AUTHORIZATION", "HTTP_X_API_KEY", "SECRET_KEY", "DB_PASSWORD", "HTTP_X_CSRF_TOKEN", "HTTP_X_HUB_SIGNATURE", "Proxy-Authorization", "passphrase", "STRIPE_API"])(
    "masks %s",
    (name) => {
      expect(maskIfSensitive(name, "value")).toBe(MASK);
    },
  );
  it.each(["PATH_INFO", "HTTP_USER_AGENT", "QUERY_STRING", "HTTP_ACCEPT", "SESSION_COOKIE_AGE"])("shows %s", (name) => {
    expect(maskIfSensitive(name, "value")).toBe("value");
  });

  it("cleanses nested settings and keeps the rest", () => {
    expect(cleanse("DATABASES", { default: { NAME: "db", PASSWORD: "hunter2" }, replicas: [{ TOKEN: "t" }] })).toEqual({
      default: { NAME: "db", PASSWORD: MASK },
      replicas: [{ TOKEN: MASK }],
    });
  });

  it("displays values readably", () => {
    expect(display("a")).toBe('"a"');
    expect(display(3)).toBe("3");
    expect(display(undefined)).toBe("undefined");
    expect(display(function view() {})).toBe("<function view>");
    expect(display(/x+/)).toBe("/x+/");
    expect(display({ a: [1, "b"], f: () => 1 })).toBe('{"a":[1,"b"],"f":"<function f>"}');
    expect(display(new (class InputStream {})())).toBe("<InputStream>");
    expect(display([new Map()])).toBe('["<Map>"]');
    expect(display({ pattern: { describe: () => "articles/<int:year>/" } })).toBe('{"pattern":"articles/<int:year>/"}');
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(display(cycle)).toBe("<object>");
  });
});

describe("choosing HTML or text", () => {
  it.each([
    ["text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", true],
    ["text/html", true],
    ["*/*", false],
    ["text/plain", false],
    ["text/plain, text/html;q=0.9", false],
    ["text/html;q=0", false],
    [undefined, false],
  ])("Accept: %s -> html %s", (accept, html) => {
    expect(wantsHtml(accept)).toBe(html);
    expect(renderDebugResponse(buildErrorReport(new Error("x")), accept).contentType).toBe(html ? "text/html; charset=utf-8" : "text/plain; charset=utf-8");
  });
});

describe("stack frames", () => {
  it("parses named, anonymous, async and native frames, and names the library of each library frame", () => {
    const stack = [
      "Error: x",
      "    at handler (file:///srv/app/src/app.ts:3:9)",
      "    at file:///srv/app/src/main.ts:10:1",
      "    at async Promise.all (index 0)",
      "    at Module._compile (node:internal/modules/cjs/loader:1:1)",
      "    at lib (/srv/app/node_modules/lib/index.js:5:5)",
      "    at scoped (/srv/app/node_modules/.pnpm/@scope+pkg@1.0.0/node_modules/@scope/pkg/dist/index.js:5:5)",
      "    at dispatch (/srv/app/vendor/framework/handler.ts:9:1)",
    ].join("\n");
    const frames = parseStack(stack, { libraryRoots: [{ name: "my-framework", path: "/srv/app/vendor/framework" }] });
    expect(frames.map((frame) => [frame.functionName, frame.file, frame.line, frame.isApplicationCode, frame.library])).toEqual([
      ["handler", "/srv/app/src/app.ts", 3, true, undefined],
      ["<anonymous>", "/srv/app/src/main.ts", 10, true, undefined],
      ["async Promise.all", "index 0", undefined, false, "node"],
      ["Module._compile", "node:internal/modules/cjs/loader", 1, false, "node"],
      ["lib", "/srv/app/node_modules/lib/index.js", 5, false, "lib"],
      ["scoped", "/srv/app/node_modules/.pnpm/@scope+pkg@1.0.0/node_modules/@scope/pkg/dist/index.js", 5, false, "@scope/pkg"],
      ["dispatch", "/srv/app/vendor/framework/handler.ts", 9, false, "my-framework"],
    ]);
  });

  it("reads the source lines around a frame of a real file, as many as asked", () => {
    const here = new URL(import.meta.url).pathname;
    const error = new Error("here");
    const frame = parseStack(error.stack ?? "").find((candidate) => candidate.file === here);
    expect(frame?.context.find((line) => line.current)?.text).toContain('const error = new Error("here");');
    expect(frame?.context.length).toBe(7);
    expect(parseStack(error.stack ?? "", { radius: 1 }).find((candidate) => candidate.file === here)?.context.length).toBe(3);
  });

  it("counts tsgi's own frames as library code", () => {
    const tsgiFile = new URL("../../src/server/runApplication.ts", import.meta.url).pathname;
    expect(parseStack(`Error: x\n    at run (${tsgiFile}:10:1)`)[0]).toMatchObject({ isApplicationCode: false, library: "tsgi", context: [] });
  });

  it("finds the location of an esbuild syntax error in its message", () => {
    const frames = framesFromCompileError('Transform failed with 1 error:\n/srv/app/app.ts:2:16: ERROR: Expected ")" but found ";"');
    expect(frames).toMatchObject([{ file: "/srv/app/app.ts", line: 2, column: 16, functionName: "(syntax error)" }]);
  });
});

describe("error report", () => {
  it("follows causes, stops at cycles, and describes thrown non-errors", () => {
    const inner = new Error("inner");
    const outer = new Error("outer", { cause: inner });
    inner.cause = outer;
    expect(buildErrorReport(outer).errors.map((error) => error.message)).toEqual(["outer", "inner"]);
    expect(buildErrorReport("just a string").title).toBe("Thrown value: just a string");
    expect(buildErrorReport(new Error("x", { cause: 42 })).errors[1]?.message).toBe("42");
  });

  it("carries the rule of a validation error", () => {
    const error = Object.assign(new Error("bad status"), { name: "TsgiValidationError", rule: "status-format" });
    expect(buildErrorReport(error).errors[0]?.rule).toBe("status-format");
  });

  it("points at the innermost frame of the app's own code in the root cause, even under library frames", () => {
    const error = new Error("deep");
    error.stack = ["Error: deep", "    at inner (node:internal/x:1:1)", `    at view (${new URL(import.meta.url).pathname}:5:3)`].join("\n");
    expect(buildErrorReport(error).location).toMatchObject({ functionName: "view", line: 5 });
    expect(buildErrorReport(new Error("wrapper", { cause: error })).location).toMatchObject({ functionName: "view", line: 5 });
  });
});

describe("request from the environ", () => {
  const environ = setupTestingDefaults({
    REQUEST_METHOD: "POST",
    PATH_INFO: "/cart",
    QUERY_STRING: "x=1",
    HTTP_COOKIE: "sessionid=cookie-secret",
    HTTP_AUTHORIZATION: "Bearer bearer-secret",
    HTTP_USER_AGENT: "curl/8.0",
    CONTENT_TYPE: "text/plain",
  });

  it("gives the request line, the headers and every key, secrets masked", () => {
    const { requestLine, sections } = environSections(environ, "/cart?x=1&raw");
    expect(requestLine).toBe("POST /cart?x=1&raw HTTP/1.0");
    const text = renderTextReport(buildErrorReport(new Error("boom"), { requestLine, sections }));
    expect(text).toContain("  User-Agent: curl/8.0");
    expect(text).toContain("  Content-Type: text/plain");
    expect(text).toContain(`  Cookie: ${MASK}`);
    expect(text).toContain(`  HTTP_AUTHORIZATION = "${MASK}"`);
    expect(text).toContain('  QUERY_STRING = "x=1"');
    expect(text).toContain("  tsgi.input = <BufferedInputStream>");
    expect(text).not.toMatch(/cookie-secret|bearer-secret/);
  });
});

describe("rendering", () => {
  function failingView(): never {
    throw new TypeError("total is <undefined> & \"missing\"");
  }
  function run(): unknown {
    try {
      failingView();
    } catch (error) {
      return new Error("checkout failed", { cause: error });
    }
    return undefined;
  }
  const libraryFrames = ["    at dispatch (/srv/fw/handler.ts:1:1)", "    at route (/srv/fw/urls.ts:2:2)", "    at node:internal/process/task_queues:95:5"];

  it("HTML: escaped, the app's frames with source, each run of library frames collapsed, a copy-and-paste view", () => {
    const error = run() as Error;
    // This file's frames, then a framework's and Node's (vitest's own frames dropped: they vary).
    const own = (error.stack ?? "").split("\n").filter((line) => line.includes("report.test.ts"));
    error.stack = ["Error: checkout failed", ...own, ...libraryFrames].join("\n");
    const report = buildErrorReport(error, {
      libraryRoots: [{ name: "@acme/fw", path: "/srv/fw" }],
      summary: [["Request Method", "GET"]],
      sections: [{ id: "settings", title: "Settings", blocks: [{ kind: "table", rows: [["DEBUG", "true"]] }] }],
      footer: "shown <because> DEBUG",
    });
    const html = renderHtmlReport(report);
    expect(html).toContain("total is &lt;undefined&gt; &amp; &quot;missing&quot;");
    expect(html).not.toContain("<undefined>");
    expect(html).toContain("shown &lt;because&gt; DEBUG");
    expect(html).toMatch(/<li class="frame app"><code class="where">[^<]*report\.test\.ts:\d+:\d+<\/code> in <code class="function">failingView<\/code><pre class="source">/);
    expect(html).toContain('<span class="line current">');
    expect(html).toMatch(/<li class="library-run"><details><summary>3 frames in @acme\/fw, node<\/summary>/);
    expect(html).toContain("<h3>Caused by: TypeError: total is &lt;undefined&gt;");
    expect(html).toMatch(/<details class="copy-paste"><summary>Copy-and-paste view<\/summary>\n<textarea[^>]*>Traceback \(most recent call first\):\nError: checkout failed\n/);
    expect(html).toContain('<section id="settings"><h2>Settings</h2>');
    expect(html).toMatch(/<p class="location">Raised in your code at <code>[^<]*report\.test\.ts:\d+:\d+<\/code> in <code>failingView<\/code>/);
  });

  it("text: the title first, each frame with its source lines, causes, sections, footer", () => {
    const report = buildErrorReport(run(), {
      requestLine: "GET / HTTP/1.1",
      before: [{ id: "template", title: "Template error", blocks: [{ kind: "source", heading: "post.html", lines: [{ number: 3, text: "{{ x | shout }}", current: true }] }] }],
      sections: [{ id: "get", title: "Request information", blocks: [{ kind: "table", heading: "GET", rows: [], empty: "No GET data" }] }],
    });
    const text = renderTextReport(report);
    expect(text.startsWith("Error: checkout failed\nGET / HTTP/1.1\n")).toBe(true);
    expect(text).toContain("Template error:\n  post.html:\n    > 3 | {{ x | shout }}");
    expect(text).toMatch(/ {2}at failingView \(.*report\.test\.ts:\d+:\d+\)\n {4}(?: |>) +\d+ \| /);
    expect(text).toMatch(/> +\d+ \| {5}throw new TypeError/);
    expect(text).toContain('Caused by: TypeError: total is <undefined> & "missing"');
    expect(text).toContain("Request information:\n  GET:\n    No GET data");
    expect(text.trimEnd().endsWith(report.footer)).toBe(true);
    const terminal = renderTextReport(report, { includeSections: false, includeFooter: false });
    for (const left of ["GET / HTTP/1.1\n", "Request information:", "Template error:", report.footer]) expect(terminal).not.toContain(left);
  });

  it("escapes the five HTML special characters", () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  });
});
