import { CR, LF } from "./chars.js";
import { headBufferOf, parseHead } from "./parseHead.js";
import type { HeadParse, ParserLimits } from "./types.js";

const INCOMPLETE: HeadParse = Object.freeze({ kind: "incomplete" });

/**
 * `parseHead` for one connection whose head arrives in pieces, without parsing it again from
 * its first byte for every piece: while the newest bytes end no line and the unfinished line
 * still fits its limit, the answer is `incomplete` after looking at the new bytes only. A head
 * trickled one byte at a time so costs one full parse per line, not one per byte (a 64 KiB
 * head sent byte by byte: seconds of CPU with parseHead alone).
 *
 * Answers are parseHead's: the same verdict, and a limit or a bare CR refused at the same byte.
 * Only another syntax fault inside an unfinished line (a NUL in a value, say) may be reported
 * when that line ends rather than when the bad byte arrives. Give it the same request's growing bytes;
 * after it answers `head` or `reject`, the next call starts a new request.
 *
 * @example
 * const reader = new HeadReader();
 * socket.on("data", (chunk) => { buffered = concat(buffered, chunk); const result = reader.read(buffered, limits); ... });
 */
export class HeadReader {
  /** Start of the unfinished line when the last answer was `incomplete`, else -1. */
  #lineStart = -1;
  /** Bytes already looked at: the buffer's length at the last answer. */
  #seen = 0;
  /** The unfinished line is the request line. */
  #requestLine = false;
  /** Full parses done (parseHead from the head's first byte): one per line for a trickled head. */
  parses = 0;

  read(buffer: Buffer, limits: ParserLimits): HeadParse {
    const length = buffer.length;
    if (this.#lineStart >= 0 && this.#lineStart < this.#seen && length >= this.#seen) {
      // The unfinished line had bytes already (so its field was counted): only new bytes matter.
      // A CR that is not the last byte (the last one before included) may be a bare CR: parseHead judges that at once.
      const carriageReturn = buffer.indexOf(CR, this.#seen - 1);
      if (buffer.indexOf(LF, this.#seen) === -1 && (carriageReturn === -1 || carriageReturn === length - 1) && this.#fits(buffer, limits)) {
        this.#seen = length;
        return INCOMPLETE;
      }
    }
    this.parses++;
    const result = parseHead(buffer, limits);
    if (result.kind === "incomplete") {
      const lastFeed = buffer.lastIndexOf(LF);
      this.#lineStart = lastFeed + 1;
      this.#seen = length;
      this.#requestLine = isRequestLine(buffer, this.#lineStart);
    } else {
      this.#lineStart = -1;
      this.#seen = 0;
    }
    return result;
  }

  /** The unfinished line and the head surely fit their limits (a conservative test: parseHead decides near them). */
  #fits(buffer: Buffer, limits: ParserLimits): boolean {
    const length = buffer.length;
    if (length > headBufferOf(limits)) return false;
    const line = length - this.#lineStart;
    if (this.#requestLine) return line <= limits.requestLine;
    return line + 2 <= limits.fieldSize && buffer[length - 1] !== CR;
  }
}

/** True when the line starting at `lineStart` is the request line (only empty lines before it). */
function isRequestLine(buffer: Buffer, lineStart: number): boolean {
  for (let index = 0; index + 1 < lineStart; index += 2) {
    if (buffer[index] !== CR || buffer[index + 1] !== LF) return false;
  }
  return true;
}
