import { ConfigError } from "../config/errors.js";
import { notApplicableReason } from "../config/notApplicable.js";
import { OPTIONS, optionForFlag, optionLabel, takesValue } from "../config/options.js";
import { closestName } from "../config/suggest.js";
import type { Settings } from "../config/settings.js";

/** What the command line asked for: settings it sets, plus help/version requests. */
export interface ParsedArgs {
  values: Partial<Record<keyof Settings, unknown>>;
  help: boolean;
  version: boolean;
}

/**
 * Parses `tsgi-worker [options] TARGET` with Gunicorn's flags: `--opt VALUE`, `--opt=VALUE`,
 * `-w4`, repeatable `-b`. Values are coerced and checked here, so a bad one fails with a
 * message naming the flag.
 *
 * @example
 * parseArgs(["-w", "4", "-b", "unix:/tmp/app.sock", "app.ts"]).values;
 * // { workers: 4, bind: ["unix:/tmp/app.sock"], app: "app.ts" }
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const result: ParsedArgs = { values: {}, help: false, version: false };
  const positionals: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === "--") {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    if (arg === "-h" || arg === "--help") {
      result.help = true;
      continue;
    }
    if (arg === "-v" || arg === "--version") {
      result.version = true;
      continue;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    let flag = arg;
    let inline: string | undefined;
    if (arg.startsWith("--") && arg.includes("=")) {
      flag = arg.slice(0, arg.indexOf("="));
      inline = arg.slice(arg.indexOf("=") + 1);
    } else if (!arg.startsWith("--") && arg.length > 2) {
      flag = arg.slice(0, 2);
      inline = arg.slice(2);
    }
    const option = optionForFlag(flag);
    if (!option) throw unknownFlag(flag, arg);
    const label = optionLabel(option);
    if (!takesValue(option)) {
      if (inline !== undefined) throw new ConfigError(`ignored explicit argument ${JSON.stringify(inline)}`, label);
      result.values[option.key] = true;
      continue;
    }
    const raw = inline ?? argv[++index];
    if (raw === undefined) throw new ConfigError(`expected one argument`, label);
    const value = option.coerce(raw, label);
    if (option.repeatable) {
      const previous = result.values[option.key];
      result.values[option.key] = [...(Array.isArray(previous) ? previous : []), ...(value as unknown[])];
    } else {
      result.values[option.key] = value;
    }
  }
  if (positionals.length > 1) throw new ConfigError(`unrecognized arguments: ${positionals.slice(1).join(" ")} (only one TARGET)`);
  if (positionals[0] !== undefined) result.values.app = positionals[0];
  return result;
}

/** An unknown flag: Gunicorn's deliberately absent options say why; a near miss suggests the flag meant. */
function unknownFlag(flag: string, arg: string): ConfigError {
  const reason = notApplicableReason(flag);
  if (reason !== undefined) return new ConfigError(reason, flag);
  const suggestion = flag.startsWith("--") ? closestName(flag, OPTIONS.flatMap((option) => option.flags.filter((name) => name.startsWith("--")))) : undefined;
  return new ConfigError(`unrecognized arguments: ${arg} (${suggestion ? `did you mean ${suggestion}? ` : ""}see --help)`);
}

/**
 * Splits a command line held in one string (`TSGI_WORKER_ARGS`) the way a POSIX shell
 * would for plain words and quotes, so `--access-log-format '%(h)s %(r)s'` keeps its spaces.
 *
 * @example
 * splitCommandLine(`-w 2 --name "my app"`); // ["-w", "2", "--name", "my app"]
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let current = "";
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let index = 0; index < line.length; index++) {
    const char = line[index] as string;
    if (quote) {
      if (char === quote) quote = undefined;
      else if (char === "\\" && quote === '"' && index + 1 < line.length) current += line[++index];
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inWord = true;
    } else if (char === "\\" && index + 1 < line.length) {
      current += line[++index];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(current);
      current = "";
      inWord = false;
    } else {
      current += char;
      inWord = true;
    }
  }
  if (quote) throw new ConfigError(`unterminated ${quote} quote in TSGI_WORKER_ARGS`);
  if (inWord) words.push(current);
  return words;
}
