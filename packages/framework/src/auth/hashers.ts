import { createHash, pbkdf2, randomInt, scrypt, timingSafeEqual } from "node:crypto";
import { promisify } from "node:util";
import { currentContext } from "../handler/requestContext.js";
import { ImproperlyConfigured } from "../exceptions.js";
import type { Settings } from "../settings/types.js";

const pbkdf2Async = promisify(pbkdf2);
const SALT_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
/** Prefix of a password that can never match (Django's `UNUSABLE_PASSWORD_PREFIX`). */
export const UNUSABLE_PASSWORD_PREFIX = "!";

/** A random string of letters and digits (Django's `get_random_string`). */
export function randomString(length: number, chars = SALT_CHARS): string {
  let out = "";
  for (let i = 0; i < length; i++) out += chars[randomInt(chars.length)];
  return out;
}

/** Constant-time string equality (lengths leak, contents do not). */
export function constantTimeEquals(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

/**
 * One way to hash passwords (Django's `BasePasswordHasher`): `encode` makes the
 * `algorithm$...` string stored in the database, `verify` checks a password against it in
 * constant time, `mustUpdate` says when a stored hash is weaker than today's settings.
 */
export abstract class PasswordHasher {
  abstract readonly algorithm: string;
  abstract encode(password: string, salt: string): Promise<string>;
  abstract verify(password: string, encoded: string): Promise<boolean>;
  /** True when the hash was made with weaker parameters than this hasher uses now. */
  mustUpdate(_encoded: string): boolean {
    return false;
  }
  salt(): string {
    return randomString(22);
  }
}

/**
 * PBKDF2 with HMAC-SHA256 (Django's default hasher), in Django's format:
 * `pbkdf2_sha256$<iterations>$<salt>$<base64 hash>`, so hashes move between a Django
 * site and this one both ways. Iterations default to Django 5.2's 1,000,000.
 *
 * @example
 * await new PBKDF2PasswordHasher().encode("s3cret", "salt"); // "pbkdf2_sha256$1000000$salt$..."
 */
export class PBKDF2PasswordHasher extends PasswordHasher {
  readonly algorithm: string = "pbkdf2_sha256";
  protected readonly digest: string = "sha256";
  protected readonly keyLength: number = 32;

  constructor(readonly iterations = 1_000_000) {
    super();
  }

  async encode(password: string, salt: string, iterations = this.iterations): Promise<string> {
    if (salt.includes("$")) throw new Error("A password salt must not contain '$'.");
    const hash = await pbkdf2Async(password, salt, iterations, this.keyLength, this.digest);
    return `${this.algorithm}$${iterations}$${salt}$${hash.toString("base64")}`;
  }

  async verify(password: string, encoded: string): Promise<boolean> {
    const [algorithm, iterations, salt] = encoded.split("$");
    if (algorithm !== this.algorithm || salt === undefined || !/^\d+$/.test(iterations ?? "")) return false;
    return constantTimeEquals(encoded, await this.encode(password, salt, Number(iterations)));
  }

  override mustUpdate(encoded: string): boolean {
    return Number(encoded.split("$")[1]) !== this.iterations;
  }
}

/** PBKDF2 with HMAC-SHA1 (`pbkdf2_sha1$...`), for hashes from older Django sites. @example new PBKDF2SHA1PasswordHasher() */
export class PBKDF2SHA1PasswordHasher extends PBKDF2PasswordHasher {
  override readonly algorithm = "pbkdf2_sha1";
  protected override readonly digest = "sha1";
  protected override readonly keyLength = 20;
}

/**
 * scrypt (Django's `ScryptPasswordHasher`): `scrypt$<salt>$<n>$<r>$<p>$<base64 hash>`.
 *
 * @example
 * new ScryptPasswordHasher({ workFactor: 2 ** 14 })
 */
export class ScryptPasswordHasher extends PasswordHasher {
  readonly algorithm = "scrypt";
  readonly workFactor: number;
  readonly blockSize: number;
  readonly parallelism: number;

  constructor(options: { workFactor?: number; blockSize?: number; parallelism?: number } = {}) {
    super();
    this.workFactor = options.workFactor ?? 2 ** 14;
    this.blockSize = options.blockSize ?? 8;
    this.parallelism = options.parallelism ?? 1;
  }

  async encode(password: string, salt: string, n = this.workFactor, r = this.blockSize, p = this.parallelism): Promise<string> {
    const hash = await new Promise<Buffer>((resolve, reject) => {
      scrypt(password, salt, 64, { N: n, r, p, maxmem: 128 * n * r * p * 2 }, (error, key) => (error ? reject(error) : resolve(key)));
    });
    return `${this.algorithm}$${salt}$${n}$${r}$${p}$${hash.toString("base64")}`;
  }

  async verify(password: string, encoded: string): Promise<boolean> {
    const [algorithm, salt, n, r, p] = encoded.split("$");
    if (algorithm !== this.algorithm || salt === undefined || ![n, r, p].every((v) => /^\d+$/.test(v ?? ""))) return false;
    return constantTimeEquals(encoded, await this.encode(password, salt, Number(n), Number(r), Number(p)));
  }

  override mustUpdate(encoded: string): boolean {
    const [, , n, r, p] = encoded.split("$");
    return Number(n) !== this.workFactor || Number(r) !== this.blockSize || Number(p) !== this.parallelism;
  }
}

/**
 * Salted MD5 (`md5$<salt>$<hex>`): fast and **insecure**; only for test settings, where
 * slow hashing would slow every login (Django's test advice).
 *
 * @example
 * defineSettings({ PASSWORD_HASHERS: [new MD5PasswordHasher()], ... }) // tests only
 */
export class MD5PasswordHasher extends PasswordHasher {
  readonly algorithm = "md5";
  async encode(password: string, salt: string): Promise<string> {
    return `md5$${salt}$${createHash("md5").update(salt + password).digest("hex")}`;
  }
  async verify(password: string, encoded: string): Promise<boolean> {
    const [algorithm, salt] = encoded.split("$");
    if (algorithm !== this.algorithm || salt === undefined) return false;
    return constantTimeEquals(encoded, await this.encode(password, salt));
  }
}

declare module "../settings/types.js" {
  interface Settings {
    /** Hashers, preferred first: new passwords use the first, any can verify, and logins upgrade old hashes to the first. */
    PASSWORD_HASHERS?: readonly PasswordHasher[];
  }
}

const defaults: PasswordHasher[] = [new PBKDF2PasswordHasher(), new PBKDF2SHA1PasswordHasher(), new ScryptPasswordHasher()];

/** The site's hashers (PASSWORD_HASHERS of the running application, else Django's defaults). */
export function getHashers(settings: Settings | undefined = currentContext()?.settings): readonly PasswordHasher[] {
  const hashers = settings?.PASSWORD_HASHERS ?? defaults;
  if (hashers.length === 0) throw new ImproperlyConfigured("PASSWORD_HASHERS is empty: list at least one hasher, e.g. new PBKDF2PasswordHasher().");
  return hashers;
}

/** The hasher that made `encoded`, or undefined. */
export function identifyHasher(encoded: string, settings?: Settings): PasswordHasher | undefined {
  const algorithm = encoded.split("$", 1)[0];
  return getHashers(settings).find((hasher) => hasher.algorithm === algorithm);
}

/** False for a `!`-prefixed (unusable) password or an unknown format. */
export function isPasswordUsable(encoded: string | null | undefined): boolean {
  return typeof encoded === "string" && !encoded.startsWith(UNUSABLE_PASSWORD_PREFIX);
}

/**
 * Hashes a password with the preferred hasher (Django's `make_password`); `null` gives an
 * unusable password (a user who may only log in another way).
 *
 * @example
 * user.password = await makePassword("correct horse battery staple");
 */
export async function makePassword(password: string | null, options: { salt?: string; hasher?: PasswordHasher; settings?: Settings } = {}): Promise<string> {
  if (password === null) return UNUSABLE_PASSWORD_PREFIX + randomString(40);
  const hasher = options.hasher ?? (getHashers(options.settings)[0] as PasswordHasher);
  return hasher.encode(password, options.salt ?? hasher.salt());
}

/**
 * Checks a password against a stored hash in constant time (Django's `check_password`).
 * When it matches but the hash is not the preferred hasher's or uses weaker parameters,
 * `setter(password)` is called so the caller stores a fresh hash: old hashes are upgraded
 * as users log in.
 *
 * @example
 * const ok = await checkPassword(submitted, user.password, (raw) => user.setPassword(raw).then(() => user.save()));
 */
export async function checkPassword(
  password: string,
  encoded: string | null | undefined,
  setter?: (password: string) => void | Promise<void>,
  settings?: Settings,
): Promise<boolean> {
  const hashers = getHashers(settings);
  const preferred = hashers[0] as PasswordHasher;
  if (typeof encoded !== "string" || !isPasswordUsable(encoded)) {
    // Spend the same time as a real check, so a missing password does not show in the timing.
    await makePassword(password, { hasher: preferred });
    return false;
  }
  const hasher = identifyHasher(encoded, settings);
  if (hasher === undefined) {
    await makePassword(password, { hasher: preferred });
    return false;
  }
  const ok = await hasher.verify(password, encoded);
  const upgrade = hasher.algorithm !== preferred.algorithm || hasher.mustUpdate(encoded);
  if (ok && upgrade && setter) await setter(password);
  return ok;
}
