import { head, refused, served, vector, type RequestVector } from "../requestVector.js";

/**
 * Size limits at every server's default settings (RFC 9110 §15.5.15 414, RFC 6585 §5 431).
 * The refused sizes are past every default: a request line longer than Gunicorn's hard ceiling
 * of 8190 bytes (any `--limit-request-line` is clamped to it), a field larger than Gunicorn's
 * default 8190-byte field size, more fields than Node's `maxHeadersCount` (2000) keeps. All stay
 * under Node's 16 KiB `maxHeaderSize`, so a server on `node:http` must refuse them itself.
 * The served sizes are well inside every default.
 */
const LONG_TARGET = "/" + "a".repeat(8300);
const LARGE_VALUE = "b".repeat(12_000);
const MANY_FIELDS = Array.from({ length: 2100 }, () => "a: b");
const FIFTY_FIELDS = Array.from({ length: 50 }, (_, index) => `X-Field-${index}: ${index}`);

export const LIMIT_VECTORS: readonly RequestVector[] = [
  vector(
    "request-line-too-long",
    "RFC 9112 §3: a server that receives a request-target longer than it wishes to parse MUST respond 414 (RFC 9110 §15.5.15)",
    head(`GET ${LONG_TARGET} HTTP/1.1`, "Host: example.com"),
    refused(414),
  ),
  vector(
    "field-too-large",
    "RFC 9112 §5 and RFC 6585 §5: a field line larger than the server accepts gets 431",
    head("GET / HTTP/1.1", "Host: example.com", `X-Large: ${LARGE_VALUE}`),
    refused(431),
  ),
  vector(
    "too-many-fields",
    "RFC 6585 §5: more header fields than the server accepts gets 431",
    head("GET / HTTP/1.1", "Host: example.com", ...MANY_FIELDS),
    refused(431),
  ),
  vector(
    "long-request-line-accepted",
    "RFC 9112 §3: servers SHOULD accept request-lines of at least 8000 octets; this one (4000) is inside every default",
    head(`GET /${"p".repeat(3980)}?q=1 HTTP/1.1`, "Host: example.com"),
    served({ PATH_INFO: `/${"p".repeat(3980)}`, QUERY_STRING: "q=1" }),
  ),
  vector(
    "large-field-accepted",
    "RFC 9112 §5: a 4000-byte field is inside every default limit",
    head("GET / HTTP/1.1", "Host: example.com", `X-Big: ${"v".repeat(4000)}`),
    served({ HTTP_X_BIG: "v".repeat(4000) }),
  ),
  vector(
    "fifty-fields-accepted",
    "RFC 6585 §5: 50 distinct fields are inside every default limit",
    head("GET / HTTP/1.1", "Host: example.com", ...FIFTY_FIELDS),
    served({ HTTP_X_FIELD_0: "0", HTTP_X_FIELD_49: "49" }),
  ),
];
