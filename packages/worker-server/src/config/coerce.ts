import { MAX_TIMEOUT_SECONDS as MAX_SECONDS } from "../connection/timeouts.js";
import { InvalidAllowListError, parseIpAllowList } from "../proxy/ipAllowList.js";
import { parseBindAddress } from "./bind.js";
import { ConfigError } from "./errors.js";

/** Turns one raw value (a CLI string, or any JSON/JS value from a config file) into a typed setting. */
export type Coerce = (raw: unknown, option: string) => unknown;

function describe(raw: unknown): string {
  return typeof raw === "string" ? JSON.stringify(raw) : String(raw);
}

/** An integer within [min, max]. */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): Coerce {
  return (raw, option) => {
    const value = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `from ${min} to ${max}`;
      throw new ConfigError(`expected an integer ${range}, got ${describe(raw)}`, option);
    }
    return value;
  };
}

/**
 * A number of seconds from 0 to MAX_SECONDS (fractions allowed, as Gunicorn's timeouts); longer would
 * overflow Node's timers and turn a "very long" --graceful-timeout into an immediate kill.
 */
export const seconds: Coerce = (raw, option) => {
  const value = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0 || value > MAX_SECONDS) {
    throw new ConfigError(`expected a number of seconds from 0 to ${MAX_SECONDS}, got ${describe(raw)}`, option);
  }
  return value;
};

const TRUE_WORDS = new Set(["1", "true", "yes", "on"]);
const FALSE_WORDS = new Set(["0", "false", "no", "off", ""]);

/** A flag: a boolean, or true/false/1/0/yes/no/on/off from the environment. */
export const boolean: Coerce = (raw, option) => {
  if (typeof raw === "boolean") return raw;
  const word = typeof raw === "string" ? raw.trim().toLowerCase() : undefined;
  if (word !== undefined && TRUE_WORDS.has(word)) return true;
  if (word !== undefined && FALSE_WORDS.has(word)) return false;
  throw new ConfigError(`expected true or false, got ${describe(raw)}`, option);
};

/** A string, or null to unset it. */
export const text: Coerce = (raw, option) => {
  if (raw === null || typeof raw === "string") return raw;
  throw new ConfigError(`expected a string, got ${describe(raw)}`, option);
};

/** One of a fixed set of words. */
export function choice(words: readonly string[]): Coerce {
  return (raw, option) => {
    const value = typeof raw === "string" ? raw.trim().toLowerCase() : raw;
    if (typeof value === "string" && words.includes(value)) return value;
    throw new ConfigError(`expected one of ${words.join(", ")}, got ${describe(raw)}`, option);
  };
}

/** A list: an array of strings, or a comma-separated string (as FORWARDED_ALLOW_IPS). */
export const stringList: Coerce = (raw, option) => {
  if (typeof raw === "string") return raw.split(",").map((item) => item.trim()).filter((item) => item !== "");
  if (Array.isArray(raw) && raw.every((item): item is string => typeof item === "string")) return [...raw];
  throw new ConfigError(`expected a list of strings, got ${describe(raw)}`, option);
};

/** A list of trusted peers (IPs, CIDR networks or `*`), checked now so a typo is a usage error, not a worker that cannot boot. */
export const ipList: Coerce = (raw, option) => {
  const list = stringList(raw, option) as string[];
  try {
    parseIpAllowList(list);
  } catch (error) {
    if (error instanceof InvalidAllowListError) throw new ConfigError(error.message, option);
    throw error;
  }
  return list;
};

/** A list of bind addresses, each checked now so a typo fails at startup, not at bind time. */
export const bindList: Coerce = (raw, option) => {
  const list = typeof raw === "string" ? [raw] : stringList(raw, option);
  if (!Array.isArray(list) || list.length === 0) throw new ConfigError("expected at least one address", option);
  for (const address of list as string[]) parseBindAddress(address, option);
  return list;
};

/** An optional address (the stats server's). */
export const optionalAddress: Coerce = (raw, option) => {
  if (raw === null) return null;
  if (typeof raw !== "string") throw new ConfigError(`expected an address, got ${describe(raw)}`, option);
  parseBindAddress(raw, option);
  return raw;
};

/** `-e/--env KEY=VALUE` (repeatable; Gunicorn's `raw_env`): each entry must name a variable. */
export const envAssignments: Coerce = (raw, option) => {
  const list = typeof raw === "string" ? [raw] : raw;
  if (!Array.isArray(list) || !list.every((item): item is string => typeof item === "string")) {
    throw new ConfigError(`expected KEY=VALUE strings, got ${describe(raw)}`, option);
  }
  for (const item of list) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(item)) throw new ConfigError(`expected KEY=VALUE, got ${describe(item)}`, option);
  }
  return [...list];
};
