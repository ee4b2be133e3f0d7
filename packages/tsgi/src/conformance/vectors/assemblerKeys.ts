import { assembleEnviron, isAssemblerKey } from "../../environ/assembleEnviron.js";
import type { RequestHead } from "../../environ/types.js";
import { createInputStream } from "../../input/inputStream.js";
import { RawConnection } from "../client/rawConnection.js";
import { parseReport } from "./compareServed.js";
import { head } from "./requestVector.js";

/**
 * The assembler's key set and order, compared with what a server's app sees. `assembleEnviron`
 * creates its keys in one fixed order; an environ built elsewhere, or one whose owned keys
 * were removed, added or re-inserted after assembly, shows a different list. Together with
 * the assembler probe (the environ came from `assembleEnviron`) and the static check (no
 * other source writes owned keys), this pins every server to the one assembler.
 */

/** The id of the key-order check in a vector suite (what `skip` takes to leave it out). */
export const ASSEMBLER_KEYS_CHECK_ID = "assembler-key-order";

/** A request and the head a server parses from it. */
interface KeyRequest {
  title: string;
  bytes: string;
  head: RequestHead;
}

const KEY_REQUESTS: readonly KeyRequest[] = [
  {
    title: "GET with Host and two other fields",
    bytes: head("GET /keys?x=1 HTTP/1.1", "Host: example.com", "Accept: */*", "X-Custom: 1"),
    head: { method: "GET", target: "/keys?x=1", httpVersion: "1.1", rawHeaders: ["Host", "example.com", "Accept", "*/*", "X-Custom", "1"] },
  },
  {
    title: "POST with Content-Type and Content-Length",
    bytes: head("POST /form HTTP/1.1", "Host: example.com", "Content-Type: text/plain", "Content-Length: 2") + "hi",
    head: {
      method: "POST",
      target: "/form",
      httpVersion: "1.1",
      rawHeaders: ["Host", "example.com", "Content-Type", "text/plain", "Content-Length", "2"],
    },
  },
  {
    title: "absolute-form target",
    bytes: head("GET http://target.example:81/p HTTP/1.1", "Host: other.example"),
    head: { method: "GET", target: "http://target.example:81/p", httpVersion: "1.1", rawHeaders: ["Host", "other.example"] },
  },
  {
    title: "OPTIONS *",
    bytes: head("OPTIONS * HTTP/1.1", "Host: example.com"),
    head: { method: "OPTIONS", target: "*", httpVersion: "1.1", rawHeaders: ["Host", "example.com"] },
  },
  {
    title: "HTTP/1.0 without Host",
    bytes: head("GET /old HTTP/1.0"),
    head: { method: "GET", target: "/old", httpVersion: "1.0", rawHeaders: [] },
  },
];

function ownedKeys(keys: readonly string[]): string[] {
  return keys.filter((key) => isAssemblerKey(key));
}

/** Which of the assembler's per-server options a server turned on, as the keys its app saw show. */
export interface ServerEnvironOptions {
  /** The server passes the reference FileWrapper (`tsgi.file_wrapper` present) or `null` (absent). */
  fileWrapper: boolean;
  /** The server runs a lifespan and passes its state (`tsgi.state` present). */
  state: boolean;
}

/**
 * The owned keys `assembleEnviron` gives a head, in order, for a server that knows its client
 * and local address and made the given per-server choices.
 *
 * @example
 * assemblerKeysFor({ method: "GET", target: "/", httpVersion: "1.1", rawHeaders: [] })[0]; // "REQUEST_METHOD"
 */
export function assemblerKeysFor(requestHead: RequestHead, options: ServerEnvironOptions = { fileWrapper: true, state: false }): string[] {
  const connection = { remoteAddress: "127.0.0.1", remotePort: 1, localAddress: "127.0.0.1", localPort: 1, scheme: "http" };
  const settings = { ...(options.fileWrapper ? {} : { fileWrapper: null }), ...(options.state ? { state: {} } : {}) };
  return ownedKeys(Object.keys(assembleEnviron(requestHead, connection, createInputStream([]), settings)));
}

/**
 * Sends each of a few requests to a server serving the vector app and compares the owned
 * keys of the environ its app saw with the assembler's, in order. Returns one line per
 * request that differs (empty when all agree), and the server's own keys it saw.
 *
 * @example
 * const { problems } = await compareAssemblerKeys("http://127.0.0.1:8000");
 */
export async function compareAssemblerKeys(origin: string): Promise<{ problems: string[]; serverKeys: string[] }> {
  const problems: string[] = [];
  const serverKeys = new Set<string>();
  for (const request of KEY_REQUESTS) {
    const connection = await RawConnection.open(origin, { timeoutMs: 15_000 });
    try {
      await connection.send(request.bytes);
      const response = await connection.readResponse();
      const report = parseReport(response);
      if (!report) {
        problems.push(`${request.title}: ${response.statusLine}, not the vector app's report`);
        continue;
      }
      for (const key of report.keys) if (!isAssemblerKey(key)) serverKeys.add(key);
      const seen = ownedKeys(report.keys);
      const expected = assemblerKeysFor(request.head, { fileWrapper: seen.includes("tsgi.file_wrapper"), state: seen.includes("tsgi.state") });
      if (seen.join() !== expected.join()) {
        problems.push(`${request.title}: the app saw ${JSON.stringify(seen)}, assembleEnviron gives ${JSON.stringify(expected)}`);
      }
    } finally {
      connection.close();
    }
  }
  return { problems, serverKeys: [...serverKeys] };
}
