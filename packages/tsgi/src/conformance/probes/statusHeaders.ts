import type { ApplicationFunction, ResponseHeaders } from "../../types.js";
import { queryOf, respondText } from "./respond.js";

/** The default status: an unusual code and reason phrase a server must not rewrite. */
export const PROBE_STATUS = "299 Custom Reason Phrase";

/** Headers the probe sends; the check expects each on the wire with the same name case, value and order. */
export const PROBE_HEADERS: ResponseHeaders = [
  ["X-Probe-Verbatim", "Value;  two  spaces, a comma"],
  ["x-lower-case", "lower"],
  ["X-MiXeD-CaSe", "Mixed"],
  ["X-Repeated", "one"],
  ["X-Repeated", "two"],
  ["Set-Cookie", "a=1; Path=/"],
  ["Set-Cookie", "b=2; Expires=Wed, 21 Oct 2026 07:28:00 GMT; HttpOnly"],
  ["Set-Cookie", "c=3"],
];

/** A header whose value is a latin-1 character outside ASCII (PEP 3333 headers are latin-1 strings). */
export const PROBE_LATIN1_HEADER: [string, string] = ["X-Latin1", "caf\u00e9"];

const STATUS_FORM = /^[1-5]\d\d [\x20-\x7e]*$/;

/**
 * Answers with the status from `?status=` (default {@link PROBE_STATUS}) and
 * {@link PROBE_HEADERS}; `?latin1=1` adds {@link PROBE_LATIN1_HEADER}.
 *
 * @example
 * // GET /status-headers?status=404%20Not%20Here
 * const app = statusHeadersProbe();
 */
export function statusHeadersProbe(): ApplicationFunction {
  return (environ, startResponse) => {
    const query = queryOf(environ);
    const status = query.get("status") ?? PROBE_STATUS;
    if (!STATUS_FORM.test(status)) {
      return respondText(startResponse, "400 Bad Request", "status must look like `299 Custom Reason`\n");
    }
    const headers: ResponseHeaders = [...PROBE_HEADERS];
    if (query.get("latin1") === "1") headers.push(PROBE_LATIN1_HEADER);
    return respondText(startResponse, status, "status and headers probe\n", headers);
  };
}
