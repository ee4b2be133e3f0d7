import { assembleEnviron } from "../environ/assembleEnviron.js";
import { createInputStream } from "../input/inputStream.js";
import type { Environ, ErrorStream, FileWrapper } from "../types.js";
import { limitBytes } from "../util/limitBytes.js";
import { requestFromCgiVariables } from "./cgiVariables.js";
import { CgiEnvironmentError } from "./errors.js";

/** What `environFromCgi` reads: the process environment, its stdin, and where errors go. */
export interface CgiEnvironSources {
  env: Readonly<Record<string, string | undefined>>;
  stdin: AsyncIterable<Uint8Array>;
  errors: ErrorStream;
  fileWrapper?: FileWrapper | null | undefined;
}

/**
 * Builds an environ from CGI meta-variables (RFC 3875 §4.1) through `assembleEnviron` (the CGI adapter),
 * as wsgiref's CGIHandler does: every environment variable is kept (values back to their bytes as latin-1
 * characters: Node decoded them as UTF-8), missing required keys get CGI's defaults, `HTTPS=on` gives the
 * https scheme, and `tsgi.input` reads stdin up to `CONTENT_LENGTH`, never further.
 * Throws `CgiEnvironmentError` for a CONTENT_LENGTH that is not a non-negative integer.
 *
 * @example
 * const environ = environFromCgi({ env: process.env, stdin: process.stdin, errors });
 */
export function environFromCgi(sources: CgiEnvironSources): Environ {
  const variables: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(sources.env)) {
    if (typeof value !== "string") continue;
    // RFC 3875 leaves CONTENT_LENGTH unset without a body; some servers set it empty, or padded.
    variables.push([key, key === "CONTENT_LENGTH" ? value.trim() : utf8ToLatin1(value)]);
  }
  const { head, connection, serverKeys } = requestFromCgiVariables(variables);
  const length = parseContentLength(sources.env.CONTENT_LENGTH);
  const input = createInputStream(length > 0 ? limitBytes(sources.stdin, length) : []);
  const settings = { multiprocess: true, runOnce: true, errors: sources.errors, fileWrapper: sources.fileWrapper ?? null };
  return assembleEnviron(head, connection, input, settings, serverKeys);
}

function parseContentLength(value: string | undefined): number {
  if (value === undefined || value === "") return 0;
  if (!/^\d+$/.test(value.trim())) {
    throw new CgiEnvironmentError(`CONTENT_LENGTH must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  return Number(value.trim());
}

/** Node decoded the environment as UTF-8; PEP 3333 wants the bytes, one latin-1 character each. */
function utf8ToLatin1(value: string): string {
  // eslint-disable-next-line no-control-regex
  if (/^[\u0000-\u007f]*$/.test(value)) return value;
  return Buffer.from(value, "utf8").toString("latin1");
}
