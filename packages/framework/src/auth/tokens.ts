import { currentContext } from "../handler/requestContext.js";
import type { Settings } from "../settings/types.js";
import { constantTimeCompare, saltedHmac } from "../signing/hmac.js";
import type { AuthUser } from "./user.js";

const EPOCH_2001 = Date.UTC(2001, 0, 1);

function pythonDateTime(date: Date): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}

/**
 * Password-reset tokens (Django's `PasswordResetTokenGenerator`, same format:
 * `<base36 seconds since 2001>-<hmac>`): valid for PASSWORD_RESET_TIMEOUT seconds, and
 * only until the user's password or last login changes, so a link works once. Nothing is
 * stored: the token is an HMAC of the user's state keyed on SECRET_KEY (fallbacks accepted).
 *
 * @example
 * const token = defaultTokenGenerator.makeToken(user);
 * defaultTokenGenerator.checkToken(user, token); // true until the password changes
 */
export class PasswordResetTokenGenerator {
  keySalt = "django.contrib.auth.tokens.PasswordResetTokenGenerator";

  constructor(
    readonly settings?: Settings,
    /** The clock, for tests. */
    readonly now: () => number = Date.now,
  ) {}

  #settings(): Settings | undefined {
    return this.settings ?? currentContext()?.settings;
  }

  #secrets(): string[] {
    const settings = this.#settings();
    if (settings === undefined) throw new Error("PasswordResetTokenGenerator needs settings: pass them or call it while an application is running.");
    return [settings.SECRET_KEY, ...settings.SECRET_KEY_FALLBACKS];
  }

  #seconds(ms: number): number {
    return Math.floor((ms - EPOCH_2001) / 1000);
  }

  makeToken(user: AuthUser): string {
    return this.#tokenWithTimestamp(user, this.#seconds(this.now()), this.#secrets()[0] as string);
  }

  /** True when the token was made for this user in its current state and is not expired. */
  checkToken(user: AuthUser | null | undefined, token: string | null | undefined): boolean {
    if (!user || !token) return false;
    const parts = token.split("-");
    if (parts.length !== 2 || !/^[0-9a-z]{1,13}$/.test(parts[0] ?? "")) return false;
    const timestamp = Number.parseInt(parts[0] as string, 36);
    if (!Number.isSafeInteger(timestamp)) return false;
    const matched = this.#secrets().some((secret) => constantTimeCompare(this.#tokenWithTimestamp(user, timestamp, secret), token));
    if (!matched) return false;
    const timeout = this.#settings()?.PASSWORD_RESET_TIMEOUT ?? 259_200;
    return this.#seconds(this.now()) - timestamp <= timeout;
  }

  #tokenWithTimestamp(user: AuthUser, timestamp: number, secret: string): string {
    const hex = saltedHmac(this.keySalt, this.makeHashValue(user, timestamp), secret).toString("hex");
    let every2nd = "";
    for (let i = 0; i < hex.length; i += 2) every2nd += hex[i];
    return `${timestamp.toString(36)}-${every2nd}`;
  }

  /** What the token depends on: changing any of it invalidates outstanding tokens. */
  makeHashValue(user: AuthUser, timestamp: number): string {
    const login = user.lastLogin === null ? "" : pythonDateTime(user.lastLogin);
    return `${user.pk}${user.password}${login}${timestamp}${user.email ?? ""}`;
  }
}

/** The generator the password reset views use. */
export const defaultTokenGenerator = new PasswordResetTokenGenerator();

/** The user's id for a reset URL (Django's `urlsafe_base64_encode(force_bytes(pk))`). @example uidToBase64(42); // "NDI" */
export function uidToBase64(pk: number | string): string {
  return Buffer.from(String(pk), "utf8").toString("base64url");
}

/** The inverse of {@link uidToBase64}; undefined when malformed. */
export function uidFromBase64(uidb64: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(uidb64)) return undefined;
  const text = Buffer.from(uidb64, "base64url").toString("utf8");
  return text === "" || text.includes("\uFFFD") ? undefined : text;
}
