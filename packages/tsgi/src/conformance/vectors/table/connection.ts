import { head, refused, served, type RequestVector } from "../requestVector.js";

/**
 * Several requests on one connection: pipelining (RFC 9112 §9.3.2), `Connection: close`
 * (RFC 9112 §9.6), HTTP/1.0 persistence (RFC 9112 §9.3) and message boundaries after a body.
 * Each vector sends all its requests in one write.
 */
export const CONNECTION_VECTORS: readonly RequestVector[] = [
  {
    id: "pipelined-gets",
    rfc: "RFC 9112 §9.3.2: a server MAY process pipelined requests, answering in the order received",
    request: head("GET /first HTTP/1.1", "Host: example.com") + head("GET /second?n=2 HTTP/1.1", "Host: example.com"),
    responses: [served({ PATH_INFO: "/first", QUERY_STRING: "" }), served({ PATH_INFO: "/second", QUERY_STRING: "n=2" })],
  },
  {
    id: "pipelined-after-content-length-body",
    rfc: "RFC 9112 §6.2 and §6.3: the body ends after Content-Length bytes; what follows is the next request",
    request:
      head("POST /upload HTTP/1.1", "Host: example.com", "Content-Length: 5") + "hello" + head("GET /next HTTP/1.1", "Host: example.com"),
    responses: [served({ PATH_INFO: "/upload", CONTENT_LENGTH: "5" }, { body: "hello" }), served({ PATH_INFO: "/next" }, { body: "" })],
  },
  {
    id: "pipelined-after-chunked-body",
    rfc: "RFC 9112 §7.1: the chunked body ends after the last chunk and the trailer section; what follows is the next request",
    request:
      head("POST /chunks HTTP/1.1", "Host: example.com", "Transfer-Encoding: chunked") +
      "3\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n" +
      head("GET /after HTTP/1.1", "Host: example.com"),
    responses: [served({ PATH_INFO: "/chunks" }, { body: "abc" }), served({ PATH_INFO: "/after" }, { body: "" })],
  },
  {
    id: "empty-line-between-pipelined",
    rfc: "RFC 9112 §2.2: an empty line before a request-line is ignored, between pipelined requests too",
    request: head("GET /a HTTP/1.1", "Host: example.com") + "\r\n" + head("GET /b HTTP/1.1", "Host: example.com"),
    responses: [served({ PATH_INFO: "/a" }), served({ PATH_INFO: "/b" })],
  },
  {
    id: "connection-close-then-pipelined",
    rfc: "RFC 9112 §9.6: after a request with close the server answers it, closes, and MUST NOT process further requests",
    request: head("GET /only HTTP/1.1", "Host: example.com", "Connection: close") + head("GET /never HTTP/1.1", "Host: example.com"),
    responses: [served({ PATH_INFO: "/only", HTTP_CONNECTION: "close" })],
    closeAfter: true,
  },
  {
    id: "http10-then-pipelined",
    rfc: "RFC 9112 §9.3: HTTP/1.0 without keep-alive is not persistent; the answer comes, then the close",
    request: head("GET /only HTTP/1.0") + head("GET /never HTTP/1.0"),
    responses: [served({ PATH_INFO: "/only", SERVER_PROTOCOL: "HTTP/1.0" })],
    closeAfter: true,
  },
  {
    id: "valid-then-invalid-pipelined",
    rfc: "RFC 9112 §9.3.2 and RFC 9110 §15.6.6: the first request is answered; the second (HTTP/2.0) gets 505 and the close",
    request: head("GET /fine HTTP/1.1", "Host: example.com") + head("GET / HTTP/2.0", "Host: example.com"),
    responses: [served({ PATH_INFO: "/fine" }), refused(505)],
  },
  {
    id: "invalid-then-pipelined",
    rfc: "RFC 9112 §3.2 and §9.6: after refusing a request the server closes; the request behind it is never served",
    request: head("GET / HTTP/1.1", "Host: a.example", "Host: b.example") + head("GET /never HTTP/1.1", "Host: example.com"),
    responses: [refused(400)],
  },
  {
    id: "chunk-size-not-hex",
    rfc: "RFC 9112 §7.1: chunk-size = 1*HEXDIG; a body that is not chunked framing is refused and the connection closed",
    request: head("POST /bad-chunk HTTP/1.1", "Host: example.com", "Transfer-Encoding: chunked") + "zz\r\nhello\r\n0\r\n\r\n",
    responses: [refused(400, true)],
  },
  {
    id: "chunk-size-signed",
    rfc: "RFC 9112 §7.1: chunk-size = 1*HEXDIG; a sign is not a hex digit",
    request: head("POST /bad-chunk HTTP/1.1", "Host: example.com", "Transfer-Encoding: chunked") + "+5\r\nhello\r\n0\r\n\r\n",
    responses: [refused(400, true)],
  },
  {
    id: "chunk-size-overflow",
    rfc: "RFC 9112 §7.1: a recipient MUST anticipate chunk-size values that overflow its integers and refuse them",
    request: head("POST /bad-chunk HTTP/1.1", "Host: example.com", "Transfer-Encoding: chunked") + "fffffffffffffffffff\r\nhello\r\n0\r\n\r\n",
    responses: [refused(400, true)],
  },
  {
    id: "chunk-data-without-crlf",
    rfc: "RFC 9112 §7.1: chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF",
    request: head("POST /bad-chunk HTTP/1.1", "Host: example.com", "Transfer-Encoding: chunked") + "5\r\nhelloXX0\r\n\r\n",
    responses: [refused(400, true)],
  },
];
