import { randomFillSync } from "node:crypto";
import { constantTimeCompare } from "../signing/hmac.js";

/** Characters of a CSRF secret and of a masked token (Django's `CSRF_ALLOWED_CHARS`). */
export const CSRF_ALLOWED_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
/** Length of the secret kept in the cookie. */
export const CSRF_SECRET_LENGTH = 32;
/** Length of a masked token (mask + cipher text) put in forms and headers. */
export const CSRF_TOKEN_LENGTH = 2 * CSRF_SECRET_LENGTH;

const ALLOWED = new RegExp(`^[${CSRF_ALLOWED_CHARS}]*$`);

/** A token or cookie value that is not a well-formed secret or masked token; `reason` ends Django's sentence "CSRF cookie ...". */
export class InvalidTokenFormat extends Error {
  constructor(readonly reason: string) {
    super(`CSRF token ${reason}`);
    this.name = "InvalidTokenFormat";
  }
}

/** Each character's index in {@link CSRF_ALLOWED_CHARS}, by char code (-1 elsewhere): masking without indexOf. */
const CHAR_INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < CSRF_ALLOWED_CHARS.length; i++) CHAR_INDEX[CSRF_ALLOWED_CHARS.charCodeAt(i)] = i;

/** Random bytes drawn in batches: one system call serves many secrets. */
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;
/** Bytes at or above this are skipped, so `byte % 62` is uniform (248 = 4 x 62), as randomInt's own rejection. */
const UNBIASED_LIMIT = 256 - (256 % CSRF_ALLOWED_CHARS.length);

function randomByte(): number {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  return pool[poolOffset++] as number;
}

/** A fresh random secret: 32 characters drawn uniformly from {@link CSRF_ALLOWED_CHARS} (a CSPRNG, as Django's). */
export function newCsrfSecret(): string {
  let secret = "";
  while (secret.length < CSRF_SECRET_LENGTH) {
    const byte = randomByte();
    if (byte < UNBIASED_LIMIT) secret += CSRF_ALLOWED_CHARS[byte % CSRF_ALLOWED_CHARS.length];
  }
  return secret;
}

/** `CSRF_ALLOWED_CHARS.indexOf(text.charAt(i))`, by table: -1 for other characters, 0 past the end (indexOf("") is 0). */
function indexAt(text: string, i: number): number {
  if (i >= text.length) return 0;
  const code = text.charCodeAt(i);
  return code < 128 ? (CHAR_INDEX[code] as number) : -1;
}

/**
 * Masks the secret with a fresh one-time pad, so the token in each page differs
 * and a compression side channel (BREACH) cannot recover the secret.
 *
 * @example
 * const token = maskCsrfSecret(secret); // 64 chars, different every call
 */
export function maskCsrfSecret(secret: string): string {
  const mask = newCsrfSecret();
  let cipher = "";
  for (let i = 0; i < secret.length; i++) {
    const x = indexAt(secret, i);
    const y = indexAt(mask, i);
    cipher += CSRF_ALLOWED_CHARS.charAt((x + y) % CSRF_ALLOWED_CHARS.length);
  }
  return mask + cipher;
}

/**
 * Inverse of {@link maskCsrfSecret}.
 *
 * @example
 * unmaskCsrfToken(maskCsrfSecret(secret)) === secret; // true
 */
export function unmaskCsrfToken(token: string): string {
  const mask = token.slice(0, CSRF_SECRET_LENGTH);
  const cipher = token.slice(CSRF_SECRET_LENGTH);
  const n = CSRF_ALLOWED_CHARS.length;
  let secret = "";
  for (let i = 0; i < cipher.length; i++) {
    const x = indexAt(cipher, i);
    const y = indexAt(mask, i);
    secret += CSRF_ALLOWED_CHARS.charAt((((x - y) % n) + n) % n);
  }
  return secret;
}

/** Throws {@link InvalidTokenFormat} unless `token` is a 32-char secret or a 64-char masked token. */
export function checkTokenFormat(token: string): void {
  if (token.length !== CSRF_SECRET_LENGTH && token.length !== CSRF_TOKEN_LENGTH) {
    throw new InvalidTokenFormat("has incorrect length");
  }
  if (!ALLOWED.test(token)) throw new InvalidTokenFormat("has invalid characters");
}

/** True when the request's token (masked or not, already format-checked) carries `secret`. */
export function doesTokenMatch(requestToken: string, secret: string): boolean {
  const candidate = requestToken.length === CSRF_TOKEN_LENGTH ? unmaskCsrfToken(requestToken) : requestToken;
  return constantTimeCompare(candidate, secret);
}
