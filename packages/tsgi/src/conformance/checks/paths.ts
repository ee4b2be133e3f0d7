import { expect } from "vitest";
import type { EnvironReport } from "../probes/environDump.js";
import type { Check } from "./check.js";
import { environOf } from "./environOf.js";

/** The request target as the app sees it: PATH_INFO decoding, target forms, the raw query string. */
export const pathChecks: Check[] = [
  {
    id: "path-percent-decoding",
    title: "percent-decodes PATH_INFO into latin-1 characters of the raw bytes (%2F included)",
    async run(context) {
      const cases: Array<[target: string, pathInfo: string]> = [
        ["/environ/caf%C3%A9", "/environ/caf\u00c3\u00a9"],
        ["/environ/%E9t%E9", "/environ/\u00e9t\u00e9"],
        ["/environ/a%2Fb", "/environ/a/b"],
        ["/environ/sp%20ace+plus", "/environ/sp ace+plus"],
        ["/environ/%7Etilde%25", "/environ/~tilde%"],
      ];
      for (const [target, pathInfo] of cases) {
        const report = await environOf(context, { target });
        expect({ target, PATH_INFO: report.values.PATH_INFO }).toEqual({ target, PATH_INFO: pathInfo });
      }
    },
  },
  {
    id: "path-raw-non-ascii",
    title: "rejects raw non-ASCII bytes in the request target with 400, or passes them to PATH_INFO as latin-1",
    async run(context) {
      // requestBytes() writes the string as latin-1: these are the UTF-8 bytes of "café", unescaped.
      // RFC 9112 allows only ASCII in a request-target, so a 400 is right; decoding them any other way is not.
      const connection = await context.connect();
      await connection.send({ target: "/environ/caf\u00c3\u00a9" });
      const response = await connection.readResponse();
      if (response.statusCode === 400) return;
      expect(response.statusCode).toBe(200);
      const report = JSON.parse(response.body.toString("utf8")) as EnvironReport;
      expect(report.values.PATH_INFO).toBe("/environ/caf\u00c3\u00a9");
    },
  },
  {
    id: "request-target-forms",
    title: "takes path and query from an absolute-form target and keeps repeated slashes",
    async run(context) {
      const cases: Array<[target: string, pathInfo: string, query: string]> = [
        ["http://127.0.0.1/environ/absolute?q=1", "/environ/absolute", "q=1"],
        ["//environ//double/", "//environ//double/", ""],
      ];
      for (const [target, pathInfo, query] of cases) {
        const report = await environOf(context, { target });
        expect({ target, PATH_INFO: report.values.PATH_INFO, QUERY_STRING: report.values.QUERY_STRING }).toEqual({
          target,
          PATH_INFO: pathInfo,
          QUERY_STRING: query,
        });
      }
    },
  },
  {
    id: "query-string-raw",
    title: "passes the query string raw (not decoded), and '' when there is none",
    async run(context) {
      const cases: Array<[target: string, query: string]> = [
        ["/environ/q?a=1&b=%20x+y&c=%C3%A9&&d", "a=1&b=%20x+y&c=%C3%A9&&d"],
        ["/environ/q?%2F=%3F?still", "%2F=%3F?still"],
        ["/environ/q?", ""],
        ["/environ/q", ""],
      ];
      for (const [target, query] of cases) {
        const report = await environOf(context, { target });
        expect({ target, QUERY_STRING: report.values.QUERY_STRING }).toEqual({ target, QUERY_STRING: query });
      }
    },
  },
];

/** SCRIPT_NAME/PATH_INFO split, for servers that can mount the app under a prefix (run against a server started with scriptName "/mount"). */
export const scriptNameChecks: Check[] = [
  {
    id: "script-name-split",
    title: "splits the path at the mount prefix into SCRIPT_NAME and PATH_INFO",
    requires: "scriptName",
    async run(context) {
      const cases: Array<[target: string, scriptName: string, pathInfo: string]> = [
        ["/mount/environ/deep/path", "/mount", "/environ/deep/path"],
        ["/mount/environ/caf%C3%A9?x=1", "/mount", "/environ/caf\u00c3\u00a9"],
        ["/mount", "/mount", ""],
        // SCRIPT_NAME is percent-decoded like PATH_INFO, so an encoded prefix still matches the mount.
        ["/mo%75nt/environ/encoded", "/mount", "/environ/encoded"],
        ["/mount/", "/mount", "/"],
      ];
      for (const [target, scriptName, pathInfo] of cases) {
        const report = await environOf(context, { target });
        expect({ target, SCRIPT_NAME: report.values.SCRIPT_NAME, PATH_INFO: report.values.PATH_INFO }).toEqual({
          target,
          SCRIPT_NAME: scriptName,
          PATH_INFO: pathInfo,
        });
      }
    },
  },
];
