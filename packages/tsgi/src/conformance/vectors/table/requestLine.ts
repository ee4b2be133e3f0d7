import { head, refused, served, vector, type RequestVector } from "../requestVector.js";

/**
 * The request line: method, version, separators, line endings (RFC 9112 §2-3, RFC 9110 §2.5, §9.1).
 */
export const REQUEST_LINE_VECTORS: readonly RequestVector[] = [
  vector(
    "http11-get",
    "RFC 9112 §3: method SP request-target SP HTTP-version; HTTP/1.1 with Host",
    head("GET /hello HTTP/1.1", "Host: example.com"),
    served({
      REQUEST_METHOD: "GET",
      SCRIPT_NAME: "",
      PATH_INFO: "/hello",
      QUERY_STRING: "",
      SERVER_PROTOCOL: "HTTP/1.1",
      SERVER_NAME: "example.com",
      SERVER_PORT: "80",
      HTTP_HOST: "example.com",
      // The runner connects from the loopback address it connects to.
      REMOTE_ADDR: (server) => server.host,
      REMOTE_PORT: (server) => server.clientPort,
    }, { absent: ["CONTENT_TYPE", "HTTP_CONTENT_LENGTH", "HTTP_CONTENT_TYPE"], absentOrEmpty: ["CONTENT_LENGTH"] }),
  ),
  vector(
    "http10-without-host",
    "RFC 9112 §3.2 (Host is required on HTTP/1.1 only), RFC 9112 §9.3 (HTTP/1.0 closes by default); CGI SERVER_NAME falls back to the local address",
    head("GET /old HTTP/1.0"),
    served({
      REQUEST_METHOD: "GET",
      PATH_INFO: "/old",
      SERVER_PROTOCOL: "HTTP/1.0",
      SERVER_NAME: (server) => server.host,
      SERVER_PORT: (server) => server.port,
    }, { absent: ["HTTP_HOST"] }),
    true,
  ),
  vector(
    "method-case-kept",
    "RFC 9110 §9.1: methods are case-sensitive tokens, passed as received",
    head("DELETE /item/7 HTTP/1.1", "Host: example.com"),
    served({ REQUEST_METHOD: "DELETE", PATH_INFO: "/item/7" }),
  ),
  vector(
    "leading-empty-lines",
    "RFC 9112 §2.2: a server SHOULD ignore at least one empty line (CRLF) received before the request-line",
    "\r\n\r\n" + head("GET /after-crlf HTTP/1.1", "Host: example.com"),
    served({ REQUEST_METHOD: "GET", PATH_INFO: "/after-crlf" }),
  ),
  vector(
    "http2-request-line",
    "RFC 9110 §15.6.6: 505 for a major version the server does not support over HTTP/1 framing",
    head("GET / HTTP/2.0", "Host: example.com"),
    refused(505),
  ),
  vector(
    "http3-request-line",
    "RFC 9110 §15.6.6: 505 for a major version the server does not support over HTTP/1 framing",
    head("GET / HTTP/3.0", "Host: example.com"),
    refused(505),
  ),
  vector(
    "version-lowercase-name",
    "RFC 9112 §2.3: HTTP-name is the case-sensitive %s\"HTTP\"",
    head("GET / http/1.1", "Host: example.com"),
    refused(400),
  ),
  vector(
    "version-missing-minor",
    "RFC 9112 §2.3: HTTP-version = HTTP-name \"/\" DIGIT \".\" DIGIT",
    head("GET / HTTP/1", "Host: example.com"),
    refused(400),
  ),
  vector(
    "version-three-parts",
    "RFC 9112 §2.3: HTTP-version = HTTP-name \"/\" DIGIT \".\" DIGIT",
    head("GET / HTTP/1.1.1", "Host: example.com"),
    refused(400),
  ),
  vector(
    "version-letters",
    "RFC 9112 §2.3: the version numbers are single digits",
    head("GET / HTTP/1.x", "Host: example.com"),
    refused(400),
  ),
  vector(
    "version-missing",
    "RFC 9112 §3: the request-line ends with SP HTTP-version",
    head("GET /", "Host: example.com"),
    refused(400),
  ),
  vector(
    "method-invalid-token",
    "RFC 9110 §9.1 and §5.6.2: a method is a token; \"(\" and \"@\" are delimiters",
    head("G(T@ / HTTP/1.1", "Host: example.com"),
    refused(400),
  ),
  vector(
    "method-non-ascii",
    "RFC 9110 §5.6.2: a method token is ASCII tchar; a latin-1 byte (0xDF) in it is refused",
    head("GET\u00df /germans HTTP/1.1", "Host: example.com"),
    refused(400),
  ),
  vector(
    "method-with-nul",
    "RFC 9110 §5.6.2: NUL is not a tchar; a request line with NUL inside the method is refused",
    head("GET\u0000PROXY /foo HTTP/1.1", "Host: example.com"),
    refused(400),
  ),
  vector(
    "target-raw-non-ascii",
    "RFC 9112 §3 and §3.2 with RFC 3986 §2: raw non-ASCII bytes are not URI characters; an invalid request-line SHOULD get 400",
    head("GET /caf\u00c3\u00a9 HTTP/1.1", "Host: example.com"),
    refused(400),
  ),
  vector(
    "method-empty",
    "RFC 9112 §3: the request-line starts with a method token",
    head(" / HTTP/1.1", "Host: example.com"),
    refused(400),
  ),
  vector(
    "space-inside-target",
    "RFC 9112 §3.2: a request-target has no whitespace; a recipient MUST NOT take a target with SP in it as valid",
    head("GET /a b HTTP/1.1", "Host: example.com"),
    refused(400),
  ),
  vector(
    "bare-lf-request-line",
    "RFC 9112 §2.2: this server does not take a bare LF for CRLF (a recipient MAY; refusing is the safe choice against smuggling)",
    "GET /lf HTTP/1.1\nHost: example.com\r\n\r\n",
    refused(400),
  ),
  vector(
    "bare-lf-field-line",
    "RFC 9112 §2.2: a bare LF ending a field line is refused like one ending the request line",
    "GET /lf HTTP/1.1\r\nHost: example.com\nX-After: 1\r\n\r\n",
    refused(400),
  ),
  vector(
    "bare-cr-field-value",
    "RFC 9112 §2.2: a bare CR is invalid; a recipient MUST treat the element as invalid or replace it with SP (refused here)",
    "GET / HTTP/1.1\r\nHost: example.com\r\nX-Cr: a\rb\r\n\r\n",
    refused(400),
  ),
];
