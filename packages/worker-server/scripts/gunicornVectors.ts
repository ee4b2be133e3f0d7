/**
 * Runs Gunicorn's public request vectors (`tests/requests/valid` and `invalid` of a Gunicorn
 * checkout) through the worker's parser and reports how many invalid ones it refuses and valid
 * ones it accepts, listing every mismatch with the parser's reason. Nothing of Gunicorn's is
 * copied into this project: the vectors are read from the checkout given on the command line.
 *
 * Each vector's `.py` sidecar is read only for what the parser can use: the limits it sets
 * (applied as Gunicorn 26 applies them), the expected exception (invalid) or the methods,
 * targets and header fields of the expected requests (valid: the parse must be the same), and
 * any other Gunicorn option it turns on (listed).
 *
 * @example
 * npx tsx scripts/gunicornVectors.ts /tmp/gunicorn        # a checkout of benoitc/gunicorn
 * npx tsx scripts/gunicornVectors.ts /tmp/gunicorn --verbose # every vector, not only the mismatches
 * npx tsx scripts/gunicornVectors.ts /tmp/gunicorn --json # the same as JSON
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ChunkedBodyError, ChunkedDecoder, parseHead, type ParserLimits } from "../src/connection/http/parser/index.js";

/** Vectors whose verdict does not change with a Host added (refused for lacking it; with it, valid accepted, invalid refused). */
const hostOnly = new Set<string>();
/** Vectors about something other than the parser. */
const outOfScope: string[] = [];

interface Outcome {
  accepted: boolean;
  requests: { method: string; target: string; rawHeaders: readonly string[] }[];
  detail: string;
}

interface VectorReport {
  name: string;
  kind: "valid" | "invalid";
  expected: string;
  outcome: Outcome;
  options: string[];
  match: boolean;
}

/** The vector bytes, decoded as Gunicorn's test harness decodes its `.http` files. */
export function decodeVector(raw: Buffer): Buffer {
  const text = raw
    .toString("latin1")
    .replaceAll("\n", "")
    .replaceAll("\\r\\n", "\r\n")
    .replaceAll("\\0", "\0")
    .replaceAll("\\n", "\n")
    .replaceAll("\\t", "\t")
    .replace(/\\x([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(text, "latin1");
}

/** The limits a sidecar sets, resolved the way Gunicorn 26's Message and Request classes resolve them. */
export function limitsOf(sidecar: string): ParserLimits {
  const setting = (name: string, fallback: number) => {
    const match = new RegExp(`cfg\\.set\\(['"]${name}['"],\\s*(\\d+)\\)`).exec(sidecar);
    return match ? Number(match[1]) : fallback;
  };
  const line = setting("limit_request_line", 4094);
  const fields = setting("limit_request_fields", 100);
  const fieldSize = setting("limit_request_field_size", 8190);
  return {
    requestLine: line === 0 ? Infinity : Math.min(line, 8190),
    fields: fields <= 0 || fields > 32768 ? 32768 : fields,
    // Gunicorn 26 reads a field size of 0 (or less) as its default 8190 (message.py), whatever its docs say.
    fieldSize: fieldSize <= 0 ? 8190 : fieldSize,
  };
}

/** Gunicorn options a sidecar turns on other than the limits. */
function optionsOf(sidecar: string): string[] {
  const options: string[] = [];
  for (const match of sidecar.matchAll(/cfg\.set\(['"](\w+)['"],\s*([^)]*)\)/g)) {
    if (!(match[1] as string).startsWith("limit_")) options.push(`${match[1]}=${match[2]}`);
  }
  return options;
}

/** Feeds `bytes` as one connection's worth of requests: heads, bodies, pipelined requests, until the bytes run out. */
export function runVector(bytes: Buffer, limits: ParserLimits): Outcome {
  const requests: Outcome["requests"] = [];
  let rest = bytes;
  while (rest.length > 0) {
    const result = parseHead(rest, limits);
    if (result.kind === "reject") {
      return { accepted: false, requests, detail: `${result.rejection.code} ${result.rejection.message}` };
    }
    if (result.kind === "incomplete") {
      // The client closed before the head ended: nothing reaches the app.
      return { accepted: false, requests, detail: "incomplete head at end of input (connection closed, no request)" };
    }
    const head = result.head;
    requests.push({ method: head.method, target: head.target, rawHeaders: head.rawHeaders });
    rest = rest.subarray(head.headBytes);
    if (head.body.kind === "length") {
      // The head was accepted; a vector whose body is cut short (the harness strips newlines) ends here.
      if (rest.length < head.body.length) return { accepted: true, requests, detail: "accepted; body shorter than Content-Length at end of input" };
      rest = rest.subarray(head.body.length);
    } else if (head.body.kind === "chunked") {
      const decoder = new ChunkedDecoder(limits);
      try {
        const decoded = decoder.decode(rest);
        if (!decoded.done) return { accepted: false, requests, detail: "chunked body not finished at end of input" };
        rest = rest.subarray(decoded.consumed);
      } catch (error) {
        if (error instanceof ChunkedBodyError) {
          return { accepted: false, requests, detail: `${error.rejection.code} ${error.rejection.message} (chunked body)` };
        }
        throw error;
      }
    }
    if (!head.keepAlive) break; // what follows a closing request is never read
  }
  return { accepted: true, requests, detail: `accepted ${requests.length} request(s)` };
}

/** A request as the comparison sees it: method, raw target, and header fields as Gunicorn lists them (NAME, value). */
interface Seen {
  method: string;
  target: string;
  headers: string[];
}

/** Python string escapes used in the sidecars (\xNN, \uNNNN: latin1 characters). */
function unescape(text: string): string {
  return text.replace(/\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4})/g, (_, code: string) => String.fromCharCode(Number.parseInt(code.slice(1), 16)));
}

/** Methods, raw targets and header fields of the requests a valid sidecar expects, in order. */
function expectedRequests(sidecar: string): Seen[] {
  const blocks = sidecar.split(/"method":/).slice(1);
  return blocks.map((block) => {
    const method = unescape(/^\s*"([^"]*)"/.exec(block)?.[1] ?? "");
    const target = unescape(/"uri":\s*uri\((["'])(.*?)\1\)/.exec(block)?.[2] ?? "");
    // The list ends at the "]" before the next key (a value may hold "]", as "[::1]:8080").
    const list = /"headers":\s*\[([\s\S]*?)\]\s*,?\s*(?:"body"|"trailers"|\})/.exec(block)?.[1] ?? "";
    const headers = [...list.matchAll(/\(\s*(["'])(.*?)\1\s*,\s*(["'])(.*?)\3\s*\)/g)].flatMap((match) => [unescape(match[2] as string), unescape(match[4] as string)]);
    return { method, target, headers };
  });
}

/** Our head as Gunicorn lists it: names uppercased; names with "_" left out unless `header_map=dangerous` (Gunicorn's default drops them, as tsgi's environ does). */
function asGunicornLists(rawHeaders: readonly string[], keepUnderscores: boolean): string[] {
  const headers: string[] = [];
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = (rawHeaders[index] as string).toUpperCase();
    if (!keepUnderscores && name.includes("_")) continue;
    if (name === "HOST" && rawHeaders[index + 1] === ADDED_HOST) continue; // added by withHost()
    headers.push(name, rawHeaders[index + 1] as string);
  }
  return headers;
}

/**
 * The bytes after a PROXY protocol header (v1 line or v2 block): the worker's PROXY gate reads
 * that before the parser sees anything, so the parser is judged on the HTTP bytes only.
 */
function withoutProxyHeader(bytes: Buffer): Buffer {
  if (bytes.subarray(0, 6).toString("latin1") === "PROXY ") {
    const end = bytes.indexOf("\r\n");
    return end === -1 ? bytes : bytes.subarray(end + 2);
  }
  if (bytes.length >= 16 && bytes.subarray(0, 12).equals(PROXY_V2_SIGNATURE)) return bytes.subarray(16 + bytes.readUInt16BE(14));
  return bytes;
}

const PROXY_V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);

const ADDED_HOST = "gunicorn.test";

/** The vector with a Host field added to each HTTP/1.1 request line that lacks one (RFC 9112 3.2 makes it mandatory). */
function withHost(bytes: Buffer): Buffer {
  const text = bytes.toString("latin1").replace(/([!-~]+ [!-~]+ HTTP\/1\.1\r\n)(?![\s\S]*?^Host:)/gim, `$1Host: ${ADDED_HOST}\r\n`);
  return Buffer.from(text, "latin1");
}

function runFolder(root: string, kind: "valid" | "invalid"): VectorReport[] {
  const folder = path.join(root, "tests", "requests", kind);
  const reports: VectorReport[] = [];
  for (const file of readdirSync(folder).filter((name) => name.endsWith(".http")).sort()) {
    const sidecar = readFileSync(path.join(folder, file.replace(/\.http$/, ".py")), "latin1");
    const options = optionsOf(sidecar);
    const expectedError = /^request\s*=\s*(\w+)/m.exec(sidecar)?.[1] ?? "?";
    if (kind === "invalid" && /Proxy/.test(expectedError)) {
      // A bad PROXY header is the worker's PROXY gate's to refuse; the parser never sees it.
      outOfScope.push(`${file} (${expectedError}: the PROXY protocol gate's, not the parser's)`);
      continue;
    }
    let bytes = decodeVector(readFileSync(path.join(folder, file)));
    if (options.some((option) => option.startsWith("proxy_protocol="))) bytes = withoutProxyHeader(bytes);
    const expected = kind === "valid" ? expectedRequests(sidecar) : [];
    const keepUnderscores = options.includes('header_map="dangerous"');
    /** A valid vector's outcome, refused if any request parsed differently from Gunicorn's expectation. */
    const judged = (outcome: Outcome): Outcome => {
      if (kind === "invalid" || !outcome.accepted) return outcome;
      const differences = expected.flatMap((request, index) => {
        const ours = outcome.requests[index];
        if (ours === undefined) return [`request ${index + 1} missing`];
        const seen: Seen = { method: ours.method, target: ours.target, headers: asGunicornLists(ours.rawHeaders, keepUnderscores) };
        return JSON.stringify(seen) === JSON.stringify(request) ? [] : [`request ${index + 1}: ours ${JSON.stringify(seen)}, Gunicorn's ${JSON.stringify(request)}`];
      });
      if (outcome.requests.length !== expected.length) differences.push(`${outcome.requests.length} request(s), Gunicorn ${expected.length}`);
      return differences.length === 0 ? outcome : { ...outcome, accepted: false, detail: `accepted, but parsed differently: ${differences.join("; ")}` };
    };
    let outcome = judged(runVector(bytes, limitsOf(sidecar)));
    if (/HTTP\/1\.1 request (needs|must have) a Host/.test(outcome.detail)) {
      // Judge the rest of the vector too: does it still pass (valid, parsed the same) or still fail (invalid) with a Host?
      const retried = judged(runVector(withHost(bytes), limitsOf(sidecar)));
      outcome = { ...retried, accepted: false, detail: `refused for lacking Host (RFC 9112 3.2); with Host added: ${retried.detail}` };
      if (kind === "valid" ? retried.accepted : !retried.accepted) hostOnly.add(file);
    }
    const match = kind === "invalid" ? !outcome.accepted : outcome.accepted;
    reports.push({ name: file, kind, expected: kind === "invalid" ? expectedError : `${expected.length} request(s)`, outcome, options, match });
  }
  return reports;
}

function main(): void {
  const root = process.argv[2];
  if (root === undefined) {
    console.error("usage: tsx scripts/gunicornVectors.ts <path of a Gunicorn checkout> [--json]");
    process.exit(2);
  }
  const reports = [...runFolder(root, "invalid"), ...runFolder(root, "valid")];
  if (process.argv.includes("--json")) {
    console.log(JSON.stringify(reports, null, 2));
    return;
  }
  for (const note of outOfScope) console.log(`not counted: ${note}`);
  for (const kind of ["invalid", "valid"] as const) {
    const ofKind = reports.filter((report) => report.kind === kind);
    const matched = ofKind.filter((report) => report.match).length;
    console.log(`${kind}: ${matched}/${ofKind.length} ${kind === "invalid" ? "refused" : "accepted as expected"}`);
    const lackingHost = ofKind.filter((report) => report.outcome.detail.startsWith("refused for lacking Host"));
    const same = lackingHost.filter((report) => hostOnly.has(report.name)).length;
    console.log(
      `  ${lackingHost.length} of them lack Host on HTTP/1.1 (refused, RFC 9112 3.2); with a Host added, ${same} of those are ` +
        (kind === "valid" ? "accepted" : "still refused"),
    );
    const verbose = process.argv.includes("--verbose");
    for (const report of ofKind.filter((report) => verbose || !report.match)) {
      const options = report.options.length > 0 ? ` [Gunicorn options: ${report.options.join(", ")}]` : "";
      const mark = report.match ? "ok" : "MISMATCH";
      console.log(`  ${mark} ${report.name}: expected ${report.expected}; parser: ${report.outcome.detail}${options}`);
    }
  }
}

main();
