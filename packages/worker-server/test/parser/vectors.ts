import type { ParsedHead } from "../../src/connection/http/parser/index.js";

/** The project's own invalid request vectors: each with the status it must get and the rule it follows. */
export const INVALID: { name: string; rfc: string; request: string; status: number }[] = [
  // Request line
  { name: "two spaces after the method", rfc: "RFC 9112 3", request: "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400 },
  { name: "space after the version", rfc: "RFC 9112 3", request: "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", status: 400 },
  { name: "tab as separator", rfc: "RFC 9112 3", request: "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", status: 400 },
  { name: "space before the method", rfc: "RFC 9112 2.2, 3", request: " GET / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400 },
  { name: "method not a token", rfc: "RFC 9110 9.1, 5.6.2", request: "G(T / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400 },
  { name: "non-ASCII method", rfc: "RFC 9110 5.6.2", request: "G\xc9T / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400 },
  { name: "space inside the target", rfc: "RFC 9112 3", request: "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", status: 400 },
  { name: "NUL in the target", rfc: "RFC 9112 3.2, RFC 3986", request: "GET /\x00 HTTP/1.1\r\nHost: a\r\n\r\n", status: 400 },
  { name: "raw non-ASCII in the target", rfc: "RFC 9112 3.2, RFC 3986 2", request: "GET /caf\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n", status: 400 },
  { name: "DEL in the target", rfc: "RFC 9112 3.2, RFC 3986", request: "GET /\x7f HTTP/1.1\r\nHost: a\r\n\r\n", status: 400 },
  { name: "bare LF ends the request line", rfc: "RFC 9112 2.2 (bare LF refused)", request: "GET / HTTP/1.1\nHost: a\r\n\r\n", status: 400 },
  { name: "bare CR ends the request line", rfc: "RFC 9112 2.2 (bare CR invalid)", request: "GET / HTTP/1.1\rHost: a\r\n\r\n", status: 400 },
  { name: "bare LF as leading empty line", rfc: "RFC 9112 2.2", request: "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400 },
  { name: "lowercase version", rfc: "RFC 9112 2.3 (HTTP-name is case-sensitive)", request: "GET / http/1.1\r\nHost: a\r\n\r\n", status: 400 },
  { name: "version without minor", rfc: "RFC 9112 2.3", request: "GET / HTTP/1\r\nHost: a\r\n\r\n", status: 400 },
  { name: "two-digit minor", rfc: "RFC 9112 2.3", request: "GET / HTTP/1.10\r\nHost: a\r\n\r\n", status: 400 },
  { name: "HTTP/0.9 style version", rfc: "RFC 9112 2.3", request: "GET / HTTP/0.9\r\n\r\n", status: 400 },
  { name: "FTP version", rfc: "RFC 9112 2.3", request: "GET / FTP/1.1\r\nHost: a\r\n\r\n", status: 400 },
  { name: "no version", rfc: "RFC 9112 3", request: "GET /\r\nHost: a\r\n\r\n", status: 400 },
  { name: "HTTP/2.0", rfc: "RFC 9110 15.6.6", request: "GET / HTTP/2.0\r\nHost: a\r\n\r\n", status: 505 },
  { name: "HTTP/3.0", rfc: "RFC 9110 15.6.6", request: "GET / HTTP/3.0\r\nHost: a\r\n\r\n", status: 505 },
  { name: "HTTP/2 connection preface", rfc: "RFC 9113 3.4", request: "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", status: 505 },
  { name: "asterisk-form with GET", rfc: "RFC 9112 3.2.4", request: "GET * HTTP/1.1\r\nHost: a\r\n\r\n", status: 400 },
  { name: "authority-form with GET", rfc: "RFC 9112 3.2.3", request: "GET example.com:443 HTTP/1.1\r\nHost: a\r\n\r\n", status: 400 },
  { name: "origin-form with CONNECT", rfc: "RFC 9112 3.2.3", request: "CONNECT / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400 },
  { name: "CONNECT (no tunnels: tsgi's checkRequestHead answers 405)", rfc: "RFC 9110 9.3.6, 15.5.6", request: "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", status: 405 },
  { name: "absolute-form with an empty host and a port", rfc: "RFC 9110 4.2.1", request: "GET http://:80/p HTTP/1.1\r\nHost: a\r\n\r\n", status: 400 },
  { name: "CONNECT without a port", rfc: "RFC 9112 3.2.3", request: "CONNECT example.com HTTP/1.1\r\nHost: a\r\n\r\n", status: 400 },
  { name: "relative target", rfc: "RFC 9112 3.2", request: "GET foo/bar HTTP/1.1\r\nHost: a\r\n\r\n", status: 400 },
  { name: "absolute-form without authority", rfc: "RFC 9112 3.2.2", request: "GET http:///p HTTP/1.1\r\nHost: a\r\n\r\n", status: 400 },
  { name: "absolute-form that is no URL", rfc: "RFC 9112 3.2.2", request: "GET http://[::1/ HTTP/1.1\r\nHost: a\r\n\r\n", status: 400 },
  { name: "binary junk (a TLS ClientHello)", rfc: "RFC 9112 3", request: "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", status: 400 },
  // Field lines
  { name: "whitespace before the colon", rfc: "RFC 9112 5.1", request: "GET / HTTP/1.1\r\nHost : a\r\n\r\n", status: 400 },
  { name: "tab before the colon", rfc: "RFC 9112 5.1", request: "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", status: 400 },
  { name: "space inside a field name", rfc: "RFC 9110 5.1", request: "GET / HTTP/1.1\r\nHo st: a\r\n\r\n", status: 400 },
  { name: "empty field name", rfc: "RFC 9110 5.1", request: "GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n", status: 400 },
  { name: "field line without colon", rfc: "RFC 9112 5", request: "GET / HTTP/1.1\r\nHost: a\r\nX-A b\r\n\r\n", status: 400 },
  { name: "non-ASCII field name", rfc: "RFC 9110 5.1", request: "GET / HTTP/1.1\r\nHost: a\r\nX-\xe9: b\r\n\r\n", status: 400 },
  { name: "NUL in a field value", rfc: "RFC 9110 5.5", request: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\x00c\r\n\r\n", status: 400 },
  { name: "control byte in a field value", rfc: "RFC 9110 5.5", request: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\x01\r\n\r\n", status: 400 },
  { name: "DEL in a field value", rfc: "RFC 9110 5.5", request: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\x7f\r\n\r\n", status: 400 },
  { name: "bare CR in a field value", rfc: "RFC 9112 2.2", request: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\rc\r\n\r\n", status: 400 },
  { name: "bare LF ends a field line", rfc: "RFC 9112 2.2", request: "GET / HTTP/1.1\r\nHost: a\nX-A: b\r\n\r\n", status: 400 },
  { name: "bare LF ends the head", rfc: "RFC 9112 2.2", request: "GET / HTTP/1.1\r\nHost: a\r\n\n", status: 400 },
  { name: "bare CR ends the head", rfc: "RFC 9112 2.2", request: "GET / HTTP/1.1\r\nHost: a\r\n\rX", status: 400 },
  { name: "obs-fold", rfc: "RFC 9112 5.2", request: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n c\r\n\r\n", status: 400 },
  { name: "obs-fold with a tab", rfc: "RFC 9112 5.2", request: "GET / HTTP/1.1\r\nHost: a\r\nX-A: b\r\n\tc\r\n\r\n", status: 400 },
  { name: "whitespace before the first field", rfc: "RFC 9112 2.2", request: "GET / HTTP/1.1\r\n Host: a\r\n\r\n", status: 400 },
  // Host
  { name: "HTTP/1.1 without Host", rfc: "RFC 9112 3.2", request: "GET / HTTP/1.1\r\nX-A: b\r\n\r\n", status: 400 },
  { name: "two Host fields", rfc: "RFC 9112 3.2", request: "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", status: 400 },
  { name: "two Host fields on HTTP/1.0", rfc: "RFC 9112 3.2", request: "GET / HTTP/1.0\r\nHost: a\r\nhost: b\r\n\r\n", status: 400 },
  { name: "Host with a space", rfc: "RFC 9112 3.2, RFC 3986 3.2.2", request: "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", status: 400 },
  { name: "Host with a non-numeric port", rfc: "RFC 3986 3.2.3", request: "GET / HTTP/1.1\r\nHost: a:b\r\n\r\n", status: 400 },
  { name: "Host with a path", rfc: "RFC 9110 7.2", request: "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", status: 400 },
  // Singletons
  { name: "two Content-Type fields", rfc: "RFC 9110 5.3, 8.3", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Type: a/b\r\nContent-Type: a/b\r\n\r\n", status: 400 },
  // Content-Length
  { name: "negative Content-Length", rfc: "RFC 9110 8.6", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", status: 400 },
  { name: "signed Content-Length", rfc: "RFC 9110 8.6", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\n", status: 400 },
  { name: "hex Content-Length", rfc: "RFC 9110 8.6", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n", status: 400 },
  { name: "decimal-point Content-Length", rfc: "RFC 9110 8.6", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1.0\r\n\r\n", status: 400 },
  { name: "empty Content-Length", rfc: "RFC 9110 8.6", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n", status: 400 },
  { name: "Content-Length list", rfc: "RFC 9112 6.3 item 5", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 5\r\n\r\nhello", status: 400 },
  { name: "duplicate equal Content-Length", rfc: "RFC 9112 6.3 item 5", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello", status: 400 },
  { name: "duplicate different Content-Length", rfc: "RFC 9112 6.3 item 5", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", status: 400 },
  { name: "Content-Length with inner space", rfc: "RFC 9110 8.6", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 0\r\n\r\n", status: 400 },
  { name: "Content-Length too large", rfc: "RFC 9110 8.6 (overflow)", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1234567890123456\r\n\r\n", status: 400 },
  { name: "Content-Length ending in a tab", rfc: "RFC 9110 5.5 allows it; llhttp refuses it (differential fuzzing)", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\t\r\n\r\nxyz", status: 400 },
  // Transfer-Encoding
  { name: "Transfer-Encoding ending in a tab", rfc: "RFC 9110 5.5 allows it; llhttp refuses it (differential fuzzing)", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked \t\r\n\r\n", status: 400 },
  { name: "Content-Length and Transfer-Encoding", rfc: "RFC 9112 6.1, 6.3 item 3", request: "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", status: 400 },
  { name: "Transfer-Encoding then Content-Length", rfc: "RFC 9112 6.1", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", status: 400 },
  { name: "Transfer-Encoding on HTTP/1.0", rfc: "RFC 9112 6.1", request: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", status: 400 },
  { name: "chunked not last", rfc: "RFC 9112 6.3 item 4", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", status: 400 },
  { name: "chunked twice", rfc: "RFC 9112 6.1", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", status: 400 },
  { name: "chunked twice in two fields", rfc: "RFC 9112 6.1, RFC 9110 5.3", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n", status: 400 },
  { name: "no chunked at all", rfc: "RFC 9112 6.3 item 4", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", status: 400 },
  { name: "identity", rfc: "RFC 9112 6.3 item 4", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n", status: 400 },
  { name: "chunked with a parameter", rfc: "RFC 9112 7", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked;q=1\r\n\r\n", status: 400 },
  { name: "empty Transfer-Encoding", rfc: "RFC 9112 6.1", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n\r\n", status: 400 },
  { name: "unknown coding before chunked", rfc: "RFC 9112 6.1 (501)", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", status: 501 },
  { name: "unknown coding in a first field", rfc: "RFC 9112 6.1 (501), RFC 9110 5.3", request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: x-custom\r\nTransfer-Encoding: chunked\r\n\r\n", status: 501 },
  // Expect
  { name: "unknown expectation", rfc: "RFC 9110 10.1.1 (417)", request: "POST / HTTP/1.1\r\nHost: a\r\nExpect: the-unexpected\r\nContent-Length: 1\r\n\r\n", status: 417 },
];

/** A complete ParsedHead with the defaults of a body-less HTTP/1.1 request, overridden by `fields`. */
function head(fields: Partial<ParsedHead>): Omit<ParsedHead, "headBytes"> {
  return {
    method: "GET", target: "/", httpVersion: "1.1", rawHeaders: ["Host", "a"], versionMinor: 1,
    body: { kind: "none" }, keepAlive: true, expectContinue: false, upgrade: undefined, host: "a", ...fields,
  };
}

/** The project's own valid vectors: each with the exact result. */
export const VALID: { name: string; rfc: string; request: string; head: Omit<ParsedHead, "headBytes"> }[] = [
  {
    name: "a small GET", rfc: "RFC 9112 3, 5",
    request: "GET /a%20b?x=1 HTTP/1.1\r\nHost: example.com:8000\r\nUser-Agent: t/1\r\nAccept: */*\r\n\r\n",
    head: head({ target: "/a%20b?x=1", rawHeaders: ["Host", "example.com:8000", "User-Agent", "t/1", "Accept", "*/*"], host: "example.com:8000"}),
  },
  {
    name: "leading empty lines are skipped", rfc: "RFC 9112 2.2",
    request: "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
    head: head({}),
  },
  {
    name: "OWS around a value is trimmed, inner whitespace kept, names keep their case", rfc: "RFC 9112 5.1, RFC 9110 5.5",
    request: "GET / HTTP/1.1\r\nhOsT:a\r\nX-A: \t b  c \t\r\nX-Empty:\r\nX-Spaces:   \r\n\r\n",
    head: head({ rawHeaders: ["hOsT", "a", "X-A", "b  c", "X-Empty", "", "X-Spaces", ""]}),
  },
  {
    name: "obs-text in a value is kept as latin1", rfc: "RFC 9110 5.5",
    request: "GET / HTTP/1.1\r\nHost: a\r\nX-A: caf\xe9\r\n\r\n",
    head: head({ rawHeaders: ["Host", "a", "X-A", "caf\xe9"]}),
  },
  {
    name: "field names with every tchar", rfc: "RFC 9110 5.6.2",
    request: "GET / HTTP/1.1\r\nHost: a\r\n!#$%&'*+-.^_`|~09azAZ: v\r\n\r\n",
    head: head({ rawHeaders: ["Host", "a", "!#$%&'*+-.^_`|~09azAZ", "v"]}),
  },
  {
    name: "any token is a method", rfc: "RFC 9110 9.1",
    request: "-bl /foo HTTP/1.1\r\nHost: a\r\n\r\n",
    head: head({ method: "-bl", target: "/foo"}),
  },
  {
    name: "Content-Length body, leading zeros, surrounding OWS", rfc: "RFC 9110 8.6, RFC 9112 6.2",
    request: "POST /f HTTP/1.1\r\nHost: a\r\nContent-Length:  007 \r\nContent-Type: text/plain\r\n\r\nabcdefg",
    head: head({ method: "POST", target: "/f", rawHeaders: ["Host", "a", "Content-Length", "007", "Content-Type", "text/plain"], body: { kind: "length", length: 7 }}),
  },
  {
    name: "chunked, case-insensitive", rfc: "RFC 9112 6.1, 7",
    request: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n",
    head: head({ method: "POST", rawHeaders: ["Host", "a", "Transfer-Encoding", "Chunked"], body: { kind: "chunked" }}),
  },
  {
    name: "HTTP/1.0 without Host closes by default", rfc: "RFC 9112 9.3, 3.2",
    request: "GET / HTTP/1.0\r\n\r\n",
    head: head({ httpVersion: "1.0", versionMinor: 0, rawHeaders: [], host: undefined, keepAlive: false}),
  },
  {
    name: "HTTP/1.0 with keep-alive", rfc: "RFC 9112 9.3, Appendix C.2.2",
    request: "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n",
    head: head({ httpVersion: "1.0", versionMinor: 0, rawHeaders: ["Connection", "Keep-Alive"], host: undefined, keepAlive: true}),
  },
  {
    name: "HTTP/1.1 with Connection: close", rfc: "RFC 9112 9.6",
    request: "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n",
    head: head({ rawHeaders: ["Host", "a", "Connection", "close"], keepAlive: false}),
  },
  {
    name: "close among other connection options", rfc: "RFC 9112 9.6, RFC 9110 7.6.1",
    request: "GET / HTTP/1.1\r\nHost: a\r\nConnection: TE, close\r\n\r\n",
    head: head({ rawHeaders: ["Host", "a", "Connection", "TE, close"], keepAlive: false}),
  },
  {
    name: "HTTP/1.2 is answered as 1.1", rfc: "RFC 9110 2.5, 6.2",
    request: "GET / HTTP/1.2\r\nHost: a\r\n\r\n",
    head: head({ httpVersion: "1.2"}),
  },
  {
    name: "Expect: 100-continue on HTTP/1.1", rfc: "RFC 9110 10.1.1",
    request: "PUT /u HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\n",
    head: head({ method: "PUT", target: "/u", rawHeaders: ["Host", "a", "Expect", "100-Continue", "Content-Length", "3"], body: { kind: "length", length: 3 }, expectContinue: true}),
  },
  {
    name: "Expect: 100-continue on HTTP/1.0 is ignored", rfc: "RFC 9110 10.1.1",
    request: "PUT /u HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n",
    head: head({ method: "PUT", target: "/u", httpVersion: "1.0", versionMinor: 0, host: undefined, keepAlive: false, rawHeaders: ["Expect", "100-continue", "Content-Length", "3"], body: { kind: "length", length: 3 }}),
  },
  {
    name: "an upgrade request", rfc: "RFC 9110 7.8, RFC 6455 4.1",
    request: "GET /ws HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n\r\n",
    head: head({ target: "/ws", rawHeaders: ["Host", "a", "Connection", "keep-alive, Upgrade", "Upgrade", "websocket"], upgrade: "websocket"}),
  },
  {
    name: "Upgrade without Connection: upgrade is not an upgrade", rfc: "RFC 9110 7.8",
    request: "GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n",
    head: head({ rawHeaders: ["Host", "a", "Upgrade", "websocket"]}),
  },
  {
    name: "Upgrade on HTTP/1.0 is ignored", rfc: "RFC 9110 7.8",
    request: "GET /ws HTTP/1.0\r\nConnection: keep-alive, Upgrade\r\nUpgrade: websocket\r\n\r\n",
    head: head({ target: "/ws", httpVersion: "1.0", versionMinor: 0, host: undefined, rawHeaders: ["Connection", "keep-alive, Upgrade", "Upgrade", "websocket"] }),
  },
  {
    name: "absolute-form", rfc: "RFC 9112 3.2.2",
    request: "GET http://example.com:81/p?q HTTP/1.1\r\nHost: other\r\n\r\n",
    head: head({ target: "http://example.com:81/p?q", rawHeaders: ["Host", "other"], host: "other"}),
  },
  {
    name: "absolute-form with an IPv6 literal", rfc: "RFC 9112 3.2.2, RFC 3986 3.2.2",
    request: "GET http://[::1]:8080/ HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n",
    head: head({ target: "http://[::1]:8080/", rawHeaders: ["Host", "[::1]:8080"], host: "[::1]:8080"}),
  },
  {
    name: "asterisk-form with OPTIONS", rfc: "RFC 9112 3.2.4",
    request: "OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n",
    head: head({ method: "OPTIONS", target: "*"}),
  },
  {
    name: "an empty Host", rfc: "RFC 9112 3.2",
    request: "GET / HTTP/1.1\r\nHost:\r\n\r\n",
    head: head({ rawHeaders: ["Host", ""], host: ""}),
  },
  {
    name: "a fragment is passed on as sent", rfc: "RFC 9112 3.2 (Gunicorn accepts it too)",
    request: "GET /p#frag HTTP/1.1\r\nHost: a\r\n\r\n",
    head: head({ target: "/p#frag"}),
  },
];

