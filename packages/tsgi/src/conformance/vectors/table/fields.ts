import { head, refused, served, vector, type RequestVector } from "../requestVector.js";

/**
 * Header fields: Host (RFC 9112 §3.2, RFC 9110 §7.2), field syntax (RFC 9112 §5, RFC 9110 §5.5)
 * and how fields become HTTP_* keys (SPEC.md, RFC 9110 §5.3).
 */
export const FIELD_VECTORS: readonly RequestVector[] = [
  vector(
    "host-with-port",
    "RFC 9110 §7.2: Host = uri-host [ \":\" port ]; SERVER_NAME and SERVER_PORT come from it",
    head("GET / HTTP/1.1", "Host: example.com:8080"),
    served({ SERVER_NAME: "example.com", SERVER_PORT: "8080", HTTP_HOST: "example.com:8080" }),
  ),
  vector(
    "host-ipv6-literal",
    "RFC 3986 §3.2.2: an IPv6 literal keeps its brackets (RFC 3875 §4.1.14 SERVER_NAME)",
    head("GET / HTTP/1.1", "Host: [::1]:8443"),
    served({ SERVER_NAME: "[::1]", SERVER_PORT: "8443", HTTP_HOST: "[::1]:8443" }),
  ),
  vector(
    "host-empty",
    "RFC 9110 §7.2: a Host with an empty value is valid when the target URI has no authority; SERVER_NAME falls back to the local address",
    head("GET /no-authority HTTP/1.1", "Host:"),
    served({ HTTP_HOST: "", SERVER_NAME: (server) => server.host, SERVER_PORT: (server) => server.port }),
  ),
  vector(
    "host-duplicate",
    "RFC 9112 §3.2: a request with more than one Host field line MUST get 400",
    head("GET / HTTP/1.1", "Host: example.com", "Host: other.example"),
    refused(400),
  ),
  vector(
    "host-duplicate-same-value",
    "RFC 9112 §3.2: more than one Host field line is refused even when the values agree",
    head("GET / HTTP/1.1", "Host: example.com", "Host: example.com"),
    refused(400),
  ),
  vector(
    "host-missing-http11",
    "RFC 9112 §3.2: an HTTP/1.1 request without Host MUST get 400",
    head("GET / HTTP/1.1", "Accept: */*"),
    refused(400),
  ),
  vector(
    "host-with-path",
    "RFC 9112 §3.2: a Host field with an invalid value MUST get 400 (\"/\" is not in uri-host)",
    head("GET / HTTP/1.1", "Host: example.com/evil"),
    refused(400),
  ),
  vector(
    "host-with-userinfo",
    "RFC 9112 §3.2 and RFC 9110 §7.2: Host has no userinfo; an invalid value MUST get 400",
    head("GET / HTTP/1.1", "Host: user@example.com"),
    refused(400),
  ),
  vector(
    "host-bad-port",
    "RFC 9112 §3.2 and RFC 3986 §3.2.3: port = *DIGIT; an invalid Host MUST get 400",
    head("GET / HTTP/1.1", "Host: example.com:80a"),
    refused(400),
  ),
  vector(
    "repeated-fields-joined",
    "RFC 9110 §5.3: field lines with the same name combine, in order, with \", \"; Cookie with \"; \" (RFC 6265 §5.4)",
    head(
      "GET / HTTP/1.1",
      "Host: example.com",
      "Accept: text/html",
      "X-Multi: a",
      "Cookie: a=1",
      "accept: application/json",
      "X-MULTI: b, c",
      "Cookie: b=2",
    ),
    served({ HTTP_ACCEPT: "text/html, application/json", HTTP_X_MULTI: "a, b, c", HTTP_COOKIE: "a=1; b=2" }),
  ),
  vector(
    "underscore-fields-dropped",
    "SPEC.md HTTP_*: names with \"_\" are dropped so a client cannot spoof the \"-\" twin a proxy sets (as nginx and Django do)",
    head("GET / HTTP/1.1", "Host: example.com", "X_Forwarded_For: 6.6.6.6", "X-Forwarded-For: 10.0.0.1", "X_Only: 1"),
    served({ HTTP_X_FORWARDED_FOR: "10.0.0.1" }, { absent: ["HTTP_X_ONLY"] }),
  ),
  vector(
    "field-value-ows-trimmed",
    "RFC 9112 §5.1: OWS before and after a field value is not part of it; inner whitespace is",
    head("GET / HTTP/1.1", "Host: example.com", "X-Padded: \t  inner  space kept \t ", "X-Empty:"),
    served({ HTTP_X_PADDED: "inner  space kept", HTTP_X_EMPTY: "" }),
  ),
  vector(
    "field-value-obs-text",
    "RFC 9110 §5.5: obs-text (0x80-0xFF) is allowed in values; SPEC.md carries each byte as one latin-1 character",
    head("GET / HTTP/1.1", "Host: example.com", "X-Latin: caf\u00e9 \u00ff"),
    served({ HTTP_X_LATIN: "caf\u00e9 \u00ff" }),
  ),
  vector(
    "content-headers-not-http-prefixed",
    "SPEC.md: Content-Type and Content-Length become CONTENT_TYPE and CONTENT_LENGTH, never HTTP_CONTENT_*",
    head("POST /form HTTP/1.1", "Host: example.com", "Content-Type: application/x-www-form-urlencoded", "Content-Length: 3") + "a=1",
    served(
      { CONTENT_TYPE: "application/x-www-form-urlencoded", CONTENT_LENGTH: "3" },
      { absent: ["HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH"], body: "a=1" },
    ),
  ),
  vector(
    "obs-fold",
    "RFC 9112 §5.2: a server MUST either refuse obs-fold with 400 or replace it with SP; this project refuses",
    "GET / HTTP/1.1\r\nHost: example.com\r\nX-Folded: first\r\n  second\r\n\r\n",
    refused(400),
  ),
  vector(
    "whitespace-before-colon",
    "RFC 9112 §5.1: a server MUST refuse with 400 whitespace between a field name and the colon",
    head("GET / HTTP/1.1", "Host: example.com", "X-Spaced : value"),
    refused(400),
  ),
  vector(
    "field-name-invalid-token",
    "RFC 9110 §5.1: a field name is a token; \"(\" is a delimiter",
    head("GET / HTTP/1.1", "Host: example.com", "X(Bad): value"),
    refused(400),
  ),
  vector(
    "field-name-non-ascii",
    "RFC 9110 §5.1: a field name is an ASCII token; a latin-1 byte (0xFF) in it is refused",
    head("GET / HTTP/1.1", "Host: example.com", "Content-Length\u00ff: 3") + "abc",
    refused(400),
  ),
  vector(
    "field-name-empty",
    "RFC 9110 §5.1: a field line starts with a non-empty field name",
    head("GET / HTTP/1.1", "Host: example.com", ": no-name"),
    refused(400),
  ),
  vector(
    "field-line-without-colon",
    "RFC 9112 §5: field-line = field-name \":\" OWS field-value OWS",
    head("GET / HTTP/1.1", "Host: example.com", "X-No-Colon"),
    refused(400),
  ),
  vector(
    "field-value-nul",
    "RFC 9110 §5.5: a NUL in a field value is invalid and dangerous; refused",
    head("GET / HTTP/1.1", "Host: example.com", "X-Nul: a\u0000b"),
    refused(400),
  ),
  vector(
    "field-value-control-char",
    "RFC 9110 §5.5: field values are VCHAR, obs-text, SP and HTAB; a control character (BEL) is refused",
    head("GET / HTTP/1.1", "Host: example.com", "X-Bell: a\u0007b"),
    refused(400),
  ),
  vector(
    "field-value-del",
    "RFC 9110 §5.5: DEL (0x7F) is a control character, not VCHAR; refused",
    head("GET / HTTP/1.1", "Host: example.com", "X-Del: a\u007fb"),
    refused(400),
  ),
];
