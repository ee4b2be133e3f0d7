import { head, refused, served, vector, type RequestVector } from "../requestVector.js";

/**
 * Request targets (RFC 9112 §3.2) and how they map to SCRIPT_NAME, PATH_INFO, QUERY_STRING,
 * SERVER_NAME and SERVER_PORT (SPEC.md; RFC 3875 §4.1).
 */
export const TARGET_VECTORS: readonly RequestVector[] = [
  vector(
    "origin-form-query",
    "RFC 9112 §3.2.1: origin-form = absolute-path [ \"?\" query ]; QUERY_STRING stays percent-encoded",
    head("GET /search/items?q=a%20b&x=1&x=2&empty= HTTP/1.1", "Host: example.com"),
    served({ PATH_INFO: "/search/items", QUERY_STRING: "q=a%20b&x=1&x=2&empty=", SCRIPT_NAME: "" }),
  ),
  vector(
    "path-percent-decoded-latin1",
    "RFC 3986 §2.1 percent-encoding; SPEC.md PATH_INFO: each decoded byte is one latin-1 character, %2F gives /, malformed escapes stay",
    head("GET /caf%C3%A9/a%20b%2Fc/100%/%zz%4 HTTP/1.1", "Host: example.com"),
    served({ PATH_INFO: "/caf\u00c3\u00a9/a b/c/100%/%zz%4", QUERY_STRING: "" }),
  ),
  vector(
    "query-with-more-question-marks",
    "RFC 3986 §3.4: the query is everything after the first \"?\", later \"?\" included",
    head("GET /q?a=1?b=2&c=%3F HTTP/1.1", "Host: example.com"),
    served({ PATH_INFO: "/q", QUERY_STRING: "a=1?b=2&c=%3F" }),
  ),
  vector(
    "encoded-question-mark-in-path",
    "RFC 3986 §2.2 and §3.3: the path is split from the query before decoding, so %3F stays in PATH_INFO as \"?\"",
    head("GET /a%3Fb?c=d HTTP/1.1", "Host: example.com"),
    served({ PATH_INFO: "/a?b", QUERY_STRING: "c=d" }),
  ),
  vector(
    "path-not-normalized",
    "RFC 9112 §3.2.1: an origin-form path is passed as received; empty segments and dot-segments are the app's business (PEP 3333, as Gunicorn)",
    head("GET //double//slash/./dot/../up HTTP/1.1", "Host: example.com"),
    served({ PATH_INFO: "//double//slash/./dot/../up", SERVER_NAME: "example.com" }),
  ),
  vector(
    "query-only-question-mark",
    "RFC 9112 §3.2.1: an empty query after \"?\" gives QUERY_STRING \"\"",
    head("GET /q? HTTP/1.1", "Host: example.com"),
    served({ PATH_INFO: "/q", QUERY_STRING: "" }),
  ),
  vector(
    "options-asterisk",
    "RFC 9112 §3.2.4: asterisk-form, only with OPTIONS, asks about the server as a whole (PATH_INFO \"*\" as in Gunicorn and wsgiref)",
    head("OPTIONS * HTTP/1.1", "Host: example.com"),
    served({ REQUEST_METHOD: "OPTIONS", SCRIPT_NAME: "", PATH_INFO: "*", QUERY_STRING: "", SERVER_NAME: "example.com" }),
  ),
  vector(
    "asterisk-not-options",
    "RFC 9112 §3.2.4: the asterisk-form is only used for OPTIONS",
    head("GET * HTTP/1.1", "Host: example.com"),
    refused(400),
  ),
  vector(
    "absolute-form",
    "RFC 9112 §3.2.2: an origin server MUST ignore Host for an absolute-form target and use the target's authority",
    head("GET http://target.example:8081/p/q?z=9 HTTP/1.1", "Host: ignored.example"),
    served({
      PATH_INFO: "/p/q",
      QUERY_STRING: "z=9",
      SERVER_NAME: "target.example",
      SERVER_PORT: "8081",
      HTTP_HOST: "target.example:8081",
    }),
  ),
  vector(
    "absolute-form-default-port-no-path",
    "RFC 9112 §3.2.2 and RFC 9110 §4.2.1: no port means the scheme's default; an empty path is \"/\"",
    head("GET http://bare.example HTTP/1.1", "Host: bare.example"),
    served({ PATH_INFO: "/", QUERY_STRING: "", SERVER_NAME: "bare.example", SERVER_PORT: "80" }),
  ),
  vector(
    "absolute-form-https-default-port",
    "RFC 9112 §3.2.2 and RFC 9110 §4.2.2: an https authority without a port means 443",
    head("GET https://secure.example/s HTTP/1.1", "Host: secure.example"),
    served({ PATH_INFO: "/s", SERVER_NAME: "secure.example", SERVER_PORT: "443", HTTP_HOST: "secure.example" }),
  ),
  vector(
    "absolute-form-ipv6",
    "RFC 9112 §3.2.2 with RFC 3986 §3.2.2: an IPv6 literal authority keeps its brackets in SERVER_NAME",
    head("GET http://[::1]:8084/v6 HTTP/1.1", "Host: [::1]:8084"),
    served({ PATH_INFO: "/v6", SERVER_NAME: "[::1]", SERVER_PORT: "8084", HTTP_HOST: "[::1]:8084" }),
  ),
  vector(
    "absolute-form-userinfo",
    "RFC 9110 §4.2.4: userinfo is deprecated in http URIs and never part of the host",
    head("GET http://user:secret@named.example:8082/u HTTP/1.1", "Host: named.example:8082"),
    served({ PATH_INFO: "/u", SERVER_NAME: "named.example", SERVER_PORT: "8082", HTTP_HOST: "named.example:8082" }),
  ),
  vector(
    "absolute-form-bad-bracket",
    "RFC 9112 §3.2.2 with RFC 3986 §3.2.2: an absolute-form target that does not parse as a URI is refused",
    head("GET http://[::1/broken HTTP/1.1", "Host: example.com"),
    refused(400),
  ),
  vector(
    "absolute-form-bad-port",
    "RFC 9112 §3.2.2 with RFC 3986 §3.2.3: port = *DIGIT; a target whose port is not digits does not parse",
    head("GET http://example.com:80x/ HTTP/1.1", "Host: example.com"),
    refused(400),
  ),
  vector(
    "connect-authority-form",
    "RFC 9112 §3.2.3 and RFC 9110 §9.3.6: CONNECT asks for a tunnel, which a TSGI server does not make; 405 (the method is known, not allowed here)",
    head("CONNECT example.com:443 HTTP/1.1", "Host: example.com:443"),
    refused(405),
  ),
  vector(
    "relative-target",
    "RFC 9112 §3.2: a target is origin-, absolute-, authority- or asterisk-form; a relative reference is none",
    head("GET relative/path HTTP/1.1", "Host: example.com"),
    refused(400),
  ),
  vector(
    "authority-form-not-connect",
    "RFC 9112 §3.2.3: the authority-form is only used for CONNECT",
    head("GET example.com:80 HTTP/1.1", "Host: example.com"),
    refused(400),
  ),
];
