import { expect } from "vitest";
import type { Check } from "./check.js";
import { environOf } from "./environOf.js";

const CGI_STRING_KEYS = ["REQUEST_METHOD", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL"];

/** The environ: required keys, their types and exact forms. */
export const environChecks: Check[] = [
  {
    id: "environ-required-keys",
    title: "gives the app every required environ key with the right type",
    async run(context) {
      const report = await environOf(context, { target: "/environ/keys?x=1" });
      for (const key of CGI_STRING_KEYS) expect({ key, type: report.types[key] }).toEqual({ key, type: "string" });
      const { values } = report;
      expect(values).toMatchObject({
        REQUEST_METHOD: "GET",
        SCRIPT_NAME: "",
        PATH_INFO: "/environ/keys",
        QUERY_STRING: "x=1",
        SERVER_PROTOCOL: "HTTP/1.1",
        "tsgi.version": [1, 0],
        "tsgi.url_scheme": "http",
      });
      expect(values.SERVER_PORT).toMatch(/^\d+$/);
      expect(String(values.SERVER_NAME).length).toBeGreaterThan(0);
      for (const flag of ["tsgi.multithread", "tsgi.multiprocess", "tsgi.run_once"]) {
        expect({ flag, type: report.types[flag] }).toEqual({ flag, type: "boolean" });
      }
      expect(report.input).toEqual({ read: true, readline: true, readlines: true, asyncIterator: true });
      expect(report.errors).toEqual({ write: true, writelines: true, flush: true });
      // Every CGI-style (upper-case) key holds a string, as PEP 3333 requires.
      for (const [key, type] of Object.entries(report.types)) {
        if (/^[A-Z_]+$/.test(key)) expect({ key, type }).toEqual({ key, type: "string" });
      }
      // The check's client connects from 127.0.0.1 (possibly shown in IPv4-mapped IPv6 form).
      expect(String(values.REMOTE_ADDR).replace(/^::ffff:/, "")).toBe("127.0.0.1");
      expect(values.REMOTE_PORT).toMatch(/^\d+$/);
    },
  },
  {
    id: "request-method-verbatim",
    title: "passes the request method as received",
    async run(context) {
      for (const method of ["DELETE", "PATCH", "OPTIONS", "PURGE"]) {
        const report = await environOf(context, { method, target: "/environ/method" });
        expect(report.values.REQUEST_METHOD).toBe(method);
      }
    },
  },
  {
    id: "server-name-port",
    title: "takes SERVER_NAME and SERVER_PORT from the Host header (default port 80 for http)",
    async run(context) {
      const cases: Array<[host: string, name: string, port: string]> = [
        ["example.test:8123", "example.test", "8123"],
        ["example.test", "example.test", "80"],
      ];
      for (const [host, name, port] of cases) {
        const report = await environOf(context, { target: "/environ/host", headers: [["Host", host]] });
        expect({ host, SERVER_NAME: report.values.SERVER_NAME, SERVER_PORT: report.values.SERVER_PORT }).toEqual({
          host,
          SERVER_NAME: name,
          SERVER_PORT: port,
        });
      }
    },
  },
  {
    id: "environ-content-keys",
    title: "puts Content-Type and Content-Length in CONTENT_TYPE and CONTENT_LENGTH, never HTTP_*",
    async run(context) {
      const report = await environOf(context, {
        method: "POST",
        target: "/environ/post",
        headers: [["Content-Type", "application/x-www-form-urlencoded"], ["Content-Length", "3"]],
        body: "a=1",
      });
      expect(report.values).toMatchObject({ REQUEST_METHOD: "POST", CONTENT_TYPE: "application/x-www-form-urlencoded", CONTENT_LENGTH: "3" });
      expect(report.types.HTTP_CONTENT_TYPE).toBeUndefined();
      expect(report.types.HTTP_CONTENT_LENGTH).toBeUndefined();
    },
  },
  {
    id: "environ-http-headers",
    title: "gives one HTTP_* key per header, repeats joined with ', ' and cookies with '; '",
    async run(context) {
      const report = await environOf(context, {
        target: "/environ/headers",
        headers: [
          ["Host", "example.test:8123"],
          ["X-Multi", "a"],
          ["Accept", "text/plain"],
          ["X-Multi", "b"],
          ["Cookie", "a=1"],
          ["Cookie", "b=2"],
          ["X-Dash-Name", "dash"],
        ],
      });
      expect(report.values).toMatchObject({
        HTTP_HOST: "example.test:8123",
        HTTP_X_MULTI: "a, b",
        HTTP_ACCEPT: "text/plain",
        HTTP_COOKIE: "a=1; b=2",
        HTTP_X_DASH_NAME: "dash",
      });
    },
  },
  {
    id: "header-underscore-dropped",
    title: "drops request headers whose names contain '_' (they would be confused with '-')",
    async run(context) {
      const report = await environOf(context, {
        target: "/environ/underscore",
        headers: [["X-Real-Ip", "10.0.0.1"], ["X_Real_Ip", "6.6.6.6"]],
      });
      expect(report.values.HTTP_X_REAL_IP).toBe("10.0.0.1");
    },
  },
];
