import { closeSync, openSync, writeSync } from "node:fs";
import { createErrorStream } from "tsgi";
import type { ErrorStream } from "tsgi";
import { LOG_LEVELS, type LogLevel } from "./logLevels.js";
import { describeError } from "tsgi/helpers";

/** Where and how much the error log writes (`--error-logfile`, `--log-level`). */
export interface ErrorLogOptions {
  /** A file path (appended to, reopened on USR1), or `"-"` for stderr. */
  file: string;
  level: LogLevel;
}

/** The logging surface hooks and the arbiter use (Gunicorn's `server.log`). */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  critical(message: string): void;
}

function timestamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`;
}

/**
 * The error log, in Gunicorn's line format: `[2025-01-31 12:00:00 +0000] [PID] [INFO] message`.
 * Writes are synchronous so lines stay ordered across the master and its workers
 * (all append to the same file) and survive a `process.exit()` right after.
 *
 * @example
 * const log = new ErrorLog({ file: "-", level: "info" });
 * log.info("Listening at: http://127.0.0.1:8000");
 */
export class ErrorLog implements Logger {
  private fd: number | undefined;
  private threshold: number;

  constructor(private options: ErrorLogOptions) {
    this.threshold = LOG_LEVELS.indexOf(options.level);
    this.open();
  }

  debug(message: string): void {
    this.log("debug", message);
  }
  info(message: string): void {
    this.log("info", message);
  }
  warning(message: string): void {
    this.log("warning", message);
  }
  error(message: string): void {
    this.log("error", message);
  }
  critical(message: string): void {
    this.log("critical", message);
  }

  /** Logs `error` with its stack, for exceptions. */
  exception(message: string, error: unknown): void {
    const detail = describeError(error);
    this.log("error", `${message}\n${detail}`);
  }

  /** Writes one line at `level` when the level is enabled. */
  log(level: LogLevel, message: string): void {
    if (LOG_LEVELS.indexOf(level) < this.threshold) return;
    this.write(`[${timestamp(new Date())}] [${process.pid}] [${level.toUpperCase()}] ${message}\n`);
  }

  /** Applies new options (after a HUP reload): reopens the file if it changed. */
  configure(options: ErrorLogOptions): void {
    const fileChanged = options.file !== this.options.file;
    this.options = options;
    this.threshold = LOG_LEVELS.indexOf(options.level);
    if (fileChanged) this.reopen();
  }

  /** Closes and reopens the file, so logrotate's renamed file is released (USR1). */
  reopen(): void {
    this.close();
    this.open();
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /** The log as `tsgi.errors`, so app output lands in the same file. */
  asErrorStream(): ErrorStream {
    return createErrorStream((text) => this.write(text));
  }

  private open(): void {
    if (this.options.file !== "-") this.fd = openSync(this.options.file, "a");
  }

  private write(text: string): void {
    if (this.fd === undefined) process.stderr.write(text);
    else writeSync(this.fd, text);
  }
}
