import fs from "node:fs";
import type { AccessLogOptions } from "../connection/options.js";
import {
  DEFAULT_ACCESS_LOG_FORMAT,
  compileAccessLogFormat,
  formatJsonAccessLog,
  type AccessLogEntry,
  type AccessLogFormatter,
} from "./accessLogFormat.js";
import { errorMessage } from "tsgi/helpers";

export { DEFAULT_ACCESS_LOG_FORMAT, compileAccessLogFormat, formatJsonAccessLog, type AccessLogEntry } from "./accessLogFormat.js";

/** Thrown when the access log file cannot be opened. */
export class AccessLogOpenError extends Error {
  constructor(file: string, cause: unknown) {
    super(`cannot open access log ${file}: ${errorMessage(cause)} (check the directory exists and is writable)`, { cause });
    this.name = "AccessLogOpenError";
  }
}

/**
 * The access log of one worker. Lines are formatted on the request path but written in
 * batches, once per event-loop turn: one append `write` per batch, not per request. The
 * write is synchronous (an append to the page cache, as Gunicorn's logging does), which keeps
 * lines in order across reopen and exit with no write left in flight. Appends are safe to
 * share between workers. `"-"` writes to stdout.
 *
 * @example
 * const log = new AccessLog({ file: "-", format: '%(h)s "%(r)s" %(s)s' });
 * log.write(entry);
 * log.reopen(); // after logrotate moved the file (USR1)
 */
export class AccessLog {
  readonly #file: string;
  readonly #format: AccessLogFormatter;
  #fd: number | undefined;
  #pending: string[] = [];
  #scheduled = false;
  #closed = false;

  constructor(options: AccessLogOptions) {
    this.#file = options.file;
    const format = options.format ?? DEFAULT_ACCESS_LOG_FORMAT;
    this.#format = format.trim().toLowerCase() === "json" ? formatJsonAccessLog : compileAccessLogFormat(format);
    this.#open();
  }

  /** Formats `entry` now and queues the line. */
  write(entry: AccessLogEntry): void {
    if (this.#closed) return; // a request that outlived the server's close
    this.#pending.push(this.#format(entry) + "\n");
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.flush());
  }

  /** Writes the queued lines now. */
  flush(): void {
    this.#scheduled = false;
    if (this.#pending.length === 0) return;
    const data = this.#pending.join("");
    this.#pending = [];
    if (this.#fd === undefined) {
      process.stdout.write(data);
      return;
    }
    try {
      fs.writeSync(this.#fd, data);
    } catch (error) {
      // A full disk must not take requests down with it.
      process.stderr.write(`tsgi-worker: access log write failed: ${(error as Error).message}\n`);
    }
  }

  /** Reopens the file (logrotate moved it away), writing what is queued to the old one first. */
  reopen(): void {
    this.flush();
    if (this.#file === "-") return;
    const old = this.#fd;
    this.#open();
    if (old !== undefined) fs.closeSync(old);
  }

  /** Flushes and closes the file. */
  close(): void {
    this.flush();
    this.#closed = true;
    if (this.#fd !== undefined) fs.closeSync(this.#fd);
    this.#fd = undefined;
  }

  #open(): void {
    if (this.#file === "-") return;
    try {
      this.#fd = fs.openSync(this.#file, "a");
    } catch (error) {
      throw new AccessLogOpenError(this.#file, error);
    }
  }
}
