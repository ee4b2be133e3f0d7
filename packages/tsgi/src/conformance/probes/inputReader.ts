import { createHash } from "node:crypto";
import type { ApplicationFunction, InputStream } from "../../types.js";
import { queryOf, respondJson, respondText } from "./respond.js";

/** How the probe consumes `tsgi.input`. */
export type InputReadMode = "all" | "chunks" | "lines" | "iterate";

const MODES: readonly InputReadMode[] = ["all", "chunks", "lines", "iterate"];
const TEXT_LIMIT = 64 * 1024;

/** What the input probe reports about the body it read. */
export interface InputReport {
  /** Bytes read before end-of-file. */
  length: number;
  sha256: string;
  /** The body as latin-1 text when it is at most 64 KiB. */
  text: string | null;
  /** Length of each piece the reads returned, in order (what `read(4096)` or `readline()` gave each time). */
  partLengths: number[];
  /** Bytes returned by one more `read()` after end-of-file (must be 0). */
  readAfterEof: number;
  contentLength: string | null;
  contentType: string | null;
}

/**
 * Reads the whole request body in the way `?mode=` says (`all`: one `read()`,
 * `chunks`: `read(4096)` until empty, `lines`: `readline()` until empty,
 * `iterate`: `for await`), then reads once more to prove end-of-file stays put,
 * and answers with an {@link InputReport} as JSON.
 *
 * @example
 * // POST /input?mode=lines  with a body
 */
export function inputReaderProbe(): ApplicationFunction {
  return async (environ, startResponse) => {
    const mode = queryOf(environ).get("mode") ?? "all";
    if (!(MODES as readonly string[]).includes(mode)) {
      return respondText(startResponse, "400 Bad Request", `?mode= must be one of ${MODES.join(", ")}\n`);
    }
    const input = environ["tsgi.input"];
    const hash = createHash("sha256");
    const kept: Uint8Array[] = [];
    let length = 0;
    const partLengths: number[] = [];
    for await (const part of readParts(input, mode as InputReadMode)) {
      hash.update(part);
      length += part.length;
      // Capped so a 50 MiB upload does not make a huge report.
      if (partLengths.length < 1024) partLengths.push(part.length);
      if (length <= TEXT_LIMIT) kept.push(part);
    }
    const after = await input.read();
    const report: InputReport = {
      length,
      sha256: hash.digest("hex"),
      text: length <= TEXT_LIMIT ? Buffer.concat(kept).toString("latin1") : null,
      partLengths,
      readAfterEof: after.length,
      contentLength: environ.CONTENT_LENGTH ?? null,
      contentType: environ.CONTENT_TYPE ?? null,
    };
    return respondJson(startResponse, "200 OK", report);
  };
}

async function* readParts(input: InputStream, mode: InputReadMode): AsyncGenerator<Uint8Array> {
  if (mode === "iterate") {
    yield* input;
    return;
  }
  if (mode === "all") {
    yield await input.read();
    return;
  }
  for (;;) {
    const part = mode === "lines" ? await input.readline() : await input.read(4096);
    if (part.length === 0) return;
    yield part;
  }
}
