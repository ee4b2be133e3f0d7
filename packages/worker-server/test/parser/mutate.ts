/** Seeded mutation of valid requests for the differential test: same seed, same bytes, on any machine. */

/** mulberry32: a small, fast, seedable PRNG (returns floats in [0, 1)). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

/** Valid requests to start from: every framing the parser knows, single and pipelined. */
export const CORPUS: readonly string[] = [
  "GET /a?b=c HTTP/1.1\r\nHost: example.com\r\nUser-Agent: fuzz\r\nAccept: */*\r\n\r\n",
  "POST /form HTTP/1.1\r\nHost: a\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello",
  "POST /chunks HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n",
  "POST /t HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3 ; a = \"b\"\r\nabc\r\n0\r\nX-Sum: 1\r\n\r\n",
  "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nxyzGET /3 HTTP/1.1\r\nHost: a\r\n\r\n",
  "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\nGET /after HTTP/1.1\r\nHost: a\r\n\r\n",
  "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /x HTTP/1.0\r\n\r\n",
  "PUT /u HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
  "\r\nDELETE /d HTTP/1.1\r\nHost: a:8080\r\nX-Empty:\r\nX-Tab: \tv\t\r\n\r\n",
];

/** Bytes worth inserting: the ones parsers disagree about. */
const INTERESTING = [0x0d, 0x0a, 0x00, 0x20, 0x09, 0x3a, 0x2c, 0x3b, 0x3d, 0x22, 0x5c, 0x2d, 0x2b, 0x30, 0x35, 0x61, 0x46, 0x7f, 0x80, 0xff, 0x0b, 0x0c];
const LENGTHS = ["", "0", "3", "5", "6", "-1", "+5", "5,5", "5, 5", "05", "1e3", "0x5", " 5 ", "5 5", "99999999999999999999", "4294967301"];
const CHUNK_SIZES = ["0", "1", "2", "5", "6", "f", "F", "-1", "+1", "0x5", "5 ", " 5", "5;", "5;a=", "5;a=\"", "ffffffffffffffffff", "00000000000000005", "5\n"];
const HEADERS = [
  "Content-Length: 3", "Transfer-Encoding: chunked", "Transfer-Encoding: gzip, chunked", "Transfer-Encoding: chunked, identity",
  "Transfer-Encoding : chunked", "Content-Length : 3", " Transfer-Encoding: chunked", "Host: b", "Connection: close",
  "Expect: 100-continue", "Content-Length: 5\r\nContent-Length: 5", "X-A: b\r\n c", "Transfer-Encoding:\tchunked",
];

type Mutation = (input: string, random: () => number) => string;

const pick = <T>(values: readonly T[], random: () => number): T => values[Math.floor(random() * values.length)] as T;
const at = (input: string, random: () => number) => Math.floor(random() * (input.length + 1));

const MUTATIONS: Mutation[] = [
  (input, random) => {
    const index = at(input, random);
    return input.slice(0, index) + String.fromCharCode(pick(INTERESTING, random)) + input.slice(index);
  },
  (input, random) => {
    const index = Math.floor(random() * input.length);
    return input.slice(0, index) + input.slice(index + 1);
  },
  (input, random) => {
    const index = Math.floor(random() * input.length);
    return input.slice(0, index) + String.fromCharCode(pick(INTERESTING, random)) + input.slice(index + 1);
  },
  (input, random) => {
    // Duplicate a whole line.
    const lines = input.split("\r\n");
    const index = Math.floor(random() * lines.length);
    lines.splice(index, 0, lines[index] as string);
    return lines.join("\r\n");
  },
  (input, random) => input.replace(/Content-Length:[^\r\n]*/i, `Content-Length: ${pick(LENGTHS, random)}`),
  (input, random) => {
    // Change one chunk size (a line of hex digits right after a CRLF).
    const sizes = [...input.matchAll(/\r\n([0-9a-fA-F]+)(?=[;\r ])/g)];
    if (sizes.length === 0) return input;
    const match = pick(sizes, random);
    const start = (match.index as number) + 2;
    return input.slice(0, start) + pick(CHUNK_SIZES, random) + input.slice(start + (match[1] as string).length);
  },
  (input, random) => {
    // Add a header line after the first request line.
    const end = input.indexOf("\r\n");
    return end === -1 ? input : `${input.slice(0, end + 2)}${pick(HEADERS, random)}\r\n${input.slice(end + 2)}`;
  },
  (input, random) => {
    // CRLF -> LF, or CRLF -> CR, somewhere.
    const positions = [...input.matchAll(/\r\n/g)].map((match) => match.index as number);
    if (positions.length === 0) return input;
    const index = pick(positions, random);
    return input.slice(0, index) + (random() < 0.5 ? "\n" : "\r") + input.slice(index + 2);
  },
  (input, random) => {
    // Another version on one request line: HTTP/1.0 changes what Transfer-Encoding and keep-alive mean.
    const versions = [...input.matchAll(/HTTP\/1\.[01]\r\n/g)];
    if (versions.length === 0) return input;
    const index = pick(versions, random).index as number;
    return input.slice(0, index) + pick(["HTTP/1.0", "HTTP/1.1", "HTTP/1.2", "HTTP/2.0", "HTTP/1.10", "HTTP/01.1"], random) + input.slice(index + 8);
  },
  (input, random) => {
    // Another spelling of a framing field name.
    const spellings = ["content-length", "CONTENT-LENGTH", "Content-length", "Content_Length", "transfer-encoding", "TRANSFER-ENCODING", "Transfer_Encoding"];
    return input.replace(/(Content-Length|Transfer-Encoding)(?=:)/, pick(spellings, random));
  },
  (input, random) => {
    // OWS around a framing value.
    const ows = pick([" ", "\t", "  ", " \t", ""], random);
    return input.replace(/(Content-Length|Transfer-Encoding):\s*([^\r\n]*)/, (_, name: string, value: string) => `${name}:${ows}${value}${pick(["", " ", "\t"], random)}`);
  },
  (input, random) => {
    // Connection: close on the first request of a pipeline.
    const end = input.indexOf("\r\n");
    return end === -1 ? input : `${input.slice(0, end + 2)}Connection: ${pick(["close", "keep-alive", "Close", "upgrade", "close, keep-alive"], random)}\r\n${input.slice(end + 2)}`;
  },
];

/** A mutated request: 1 to 3 mutations of one corpus entry, as latin1 bytes. */
export function mutatedRequest(random: () => number): Buffer {
  let input = pick(CORPUS, random);
  const count = 1 + Math.floor(random() * 3);
  for (let index = 0; index < count; index++) input = pick(MUTATIONS, random)(input, random);
  return Buffer.from(input, "latin1");
}
