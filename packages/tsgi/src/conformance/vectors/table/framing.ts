import { head, refused, served, vector, type RequestVector } from "../requestVector.js";

/**
 * Message body framing: Content-Length (RFC 9112 §6.2, §6.3), Transfer-Encoding (RFC 9112 §6.1)
 * and the chunked coding with extensions and trailers (RFC 9112 §7.1). Where a request is
 * ambiguous about where it ends, it is refused, never guessed.
 */
export const FRAMING_VECTORS: readonly RequestVector[] = [
  vector(
    "content-length-body",
    "RFC 9112 §6.2: Content-Length gives the body length; tsgi.input ends there",
    head("POST /upload HTTP/1.1", "Host: example.com", "Content-Type: text/plain", "Content-Length: 11") + "hello world",
    served({ REQUEST_METHOD: "POST", CONTENT_LENGTH: "11", CONTENT_TYPE: "text/plain" }, { body: "hello world" }),
  ),
  vector(
    "content-length-zero",
    "RFC 9112 §6.2: Content-Length: 0 is an empty body",
    head("POST /empty HTTP/1.1", "Host: example.com", "Content-Length: 0"),
    served({ CONTENT_LENGTH: "0" }, { body: "" }),
  ),
  vector(
    "http10-content-length-body",
    "RFC 9112 §6.2: an HTTP/1.0 body framed by Content-Length",
    head("POST /old HTTP/1.0", "Content-Length: 4") + "abcd",
    served({ SERVER_PROTOCOL: "HTTP/1.0", CONTENT_LENGTH: "4" }, { body: "abcd" }),
    true,
  ),
  vector(
    "chunked-extensions-trailers",
    "RFC 9112 §7.1.1 chunk extensions (token and quoted values) and §7.1.2 trailer section; the body is the chunk data only",
    head("POST /chunked HTTP/1.1", "Host: example.com", "Transfer-Encoding: chunked", "Content-Type: text/plain") +
      "5;name=value\r\nhello\r\n" +
      "1;flag\r\n \r\n" +
      "5;quoted=\"a; b\"\r\nworld\r\n" +
      "0;last=1\r\nX-Trailer: t\r\nX-Other: u\r\n\r\n",
    served({ CONTENT_TYPE: "text/plain", REQUEST_METHOD: "POST" }, { absentOrEmpty: ["CONTENT_LENGTH"], body: "hello world" }),
  ),
  vector(
    "chunk-extensions-bws",
    "RFC 9112 §7.1.1: chunk-ext = *( BWS \";\" BWS chunk-ext-name [ BWS \"=\" BWS chunk-ext-val ] ), SP or HTAB",
    head("POST /bws HTTP/1.1", "Host: example.com", "Transfer-Encoding: chunked") +
      "5 ; name = value\r\nhello\r\n" +
      "6\t;\tq\t=\t\"x y\"\r\n world\r\n" +
      "0 ; end\r\n\r\n",
    served({ REQUEST_METHOD: "POST" }, { absentOrEmpty: ["CONTENT_LENGTH"], body: "hello world" }),
  ),
  vector(
    "chunked-coding-name-case",
    "RFC 9112 §7: transfer-coding names are case-insensitive (\"Chunked\"); chunk sizes are hex in either case, with leading zeros",
    head("POST /case HTTP/1.1", "Host: example.com", "Transfer-Encoding: Chunked") + "00a\r\n0123456789\r\nB\r\nabcdefghijk\r\n0\r\n\r\n",
    served({ REQUEST_METHOD: "POST" }, { absentOrEmpty: ["CONTENT_LENGTH"], body: "0123456789abcdefghijk" }),
  ),
  vector(
    "chunked-lowercase-hex",
    "RFC 9112 §7.1: chunk-size = 1*HEXDIG, lowercase hex digits included",
    head("POST /hex HTTP/1.1", "Host: example.com", "Transfer-Encoding: chunked") + "c\r\nlowercase-12\r\n0\r\n\r\n",
    served({ REQUEST_METHOD: "POST" }, { body: "lowercase-12" }),
  ),
  vector(
    "expect-100-continue-body-sent",
    "RFC 9110 §10.1.1: a client that sends Expect: 100-continue MAY send the body without waiting; the app reads all of it",
    head("PUT /put HTTP/1.1", "Host: example.com", "Expect: 100-continue", "Content-Length: 6") + "abcdef",
    served({ REQUEST_METHOD: "PUT", CONTENT_LENGTH: "6", HTTP_EXPECT: "100-continue" }, { body: "abcdef" }),
  ),
  vector(
    "content-type-duplicate",
    "RFC 9110 §5.3 and §8.3: Content-Type is a singleton field; two of them make the body's type ambiguous, refused",
    head("POST / HTTP/1.1", "Host: example.com", "Content-Type: text/plain", "Content-Type: application/json", "Content-Length: 2") + "{}",
    refused(400),
  ),
  vector(
    "te-on-http10",
    "RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message means faulty framing; refused",
    head("POST / HTTP/1.0", "Transfer-Encoding: chunked") + "5\r\nhello\r\n0\r\n\r\n",
    refused(400),
  ),
  vector(
    "content-length-and-te",
    "RFC 9112 §6.1 and §6.3: Content-Length with Transfer-Encoding is a smuggling vector; refused, connection closed",
    head("POST / HTTP/1.1", "Host: example.com", "Content-Length: 5", "Transfer-Encoding: chunked") + "0\r\n\r\n",
    refused(400),
  ),
  vector(
    "content-length-duplicate-different",
    "RFC 9112 §6.3: differing Content-Length values are an unrecoverable framing error",
    head("POST / HTTP/1.1", "Host: example.com", "Content-Length: 3", "Content-Length: 4") + "abcd",
    refused(400),
  ),
  vector(
    "content-length-duplicate-same",
    "RFC 9112 §6.3: a repeated Content-Length is refused (this project does not merge equal values)",
    head("POST / HTTP/1.1", "Host: example.com", "Content-Length: 3", "Content-Length: 3") + "abc",
    refused(400),
  ),
  vector(
    "content-length-list",
    "RFC 9112 §6.3 and RFC 9110 §8.6: Content-Length = 1*DIGIT; a list is refused",
    head("POST / HTTP/1.1", "Host: example.com", "Content-Length: 3, 3") + "abc",
    refused(400),
  ),
  vector(
    "content-length-plus-sign",
    "RFC 9110 §8.6: Content-Length = 1*DIGIT; a sign is invalid",
    head("POST / HTTP/1.1", "Host: example.com", "Content-Length: +3") + "abc",
    refused(400),
  ),
  vector(
    "content-length-negative",
    "RFC 9110 §8.6: Content-Length = 1*DIGIT; a negative length is invalid",
    head("POST / HTTP/1.1", "Host: example.com", "Content-Length: -1"),
    refused(400),
  ),
  vector(
    "content-length-not-a-number",
    "RFC 9112 §6.3: an invalid Content-Length MUST get 400",
    head("POST / HTTP/1.1", "Host: example.com", "Content-Length: abc"),
    refused(400),
  ),
  vector(
    "content-length-hex",
    "RFC 9110 §8.6: Content-Length is decimal digits only",
    head("POST / HTTP/1.1", "Host: example.com", "Content-Length: 0x10") + "0123456789abcdef",
    refused(400),
  ),
  vector(
    "content-length-with-space",
    "RFC 9110 §8.6: Content-Length = 1*DIGIT; \"0 1\" is not a number",
    head("POST / HTTP/1.1", "Host: example.com", "Content-Length: 0 1") + "x",
    refused(400),
  ),
  vector(
    "underscore-te-not-framing",
    "SPEC.md HTTP_* and RFC 9112 §6.1: Transfer_Encoding is not Transfer-Encoding; it is dropped, never used to frame the body",
    head("POST /framed HTTP/1.1", "Host: example.com", "Transfer_Encoding: chunked", "Content-Length: 5") + "hello",
    served({ CONTENT_LENGTH: "5" }, { absent: ["HTTP_TRANSFER_ENCODING"], body: "hello" }),
  ),
  vector(
    "te-not-ending-in-chunked",
    "RFC 9112 §6.3: a request whose Transfer-Encoding does not end in chunked MUST get 400",
    head("POST / HTTP/1.1", "Host: example.com", "Transfer-Encoding: chunked, gzip") + "0\r\n\r\n",
    refused(400),
  ),
  vector(
    "te-gzip-alone",
    "RFC 9112 §6.3: without a final chunked the body length cannot be determined; 400",
    head("POST / HTTP/1.1", "Host: example.com", "Transfer-Encoding: gzip") + "abc",
    refused(400),
  ),
  vector(
    "te-chunked-twice",
    "RFC 9112 §7: chunked MUST NOT be applied more than once; refused",
    head("POST / HTTP/1.1", "Host: example.com", "Transfer-Encoding: chunked, chunked") + "0\r\n\r\n",
    refused(400),
  ),
  vector(
    "te-unknown-coding",
    "RFC 9112 §6.1: a transfer coding the server does not understand SHOULD get 501",
    head("POST / HTTP/1.1", "Host: example.com", "Transfer-Encoding: x-unknown, chunked") + "0\r\n\r\n",
    refused(501),
  ),
];
