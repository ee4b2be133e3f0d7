import { dictionary } from "@zxcvbn-ts/language-common";
import { currentContext } from "../handler/requestContext.js";
import { ValidationError } from "../forms/validationError.js";
import type { Settings } from "../settings/types.js";

/** What validators may compare the password with (the user being created or changed). */
export type PasswordUser = Readonly<Record<string, unknown>>;

/** A password rule (Django's password validator classes). */
export interface PasswordValidator {
  /** Throws ValidationError when the password breaks the rule. */
  validate(password: string, user?: PasswordUser): void;
  /** One sentence for the help text under a password field. */
  getHelpText(): string;
}

/**
 * At least `minLength` characters (default 8).
 *
 * @example
 * new MinimumLengthValidator(12).validate("short"); // throws
 */
export class MinimumLengthValidator implements PasswordValidator {
  constructor(readonly minLength = 8) {}
  validate(password: string): void {
    if ([...password].length < this.minLength) {
      throw new ValidationError(`This password is too short. It must contain at least ${this.minLength} character${this.minLength === 1 ? "" : "s"}.`, {
        code: "password_too_short",
        params: { min_length: this.minLength },
      });
    }
  }
  getHelpText(): string {
    return `Your password must contain at least ${this.minLength} character${this.minLength === 1 ? "" : "s"}.`;
  }
}

let commonPasswords: ReadonlySet<string> | undefined;

/**
 * Not one of ~49,000 commonly used passwords (the list of the `@zxcvbn-ts/language-common`
 * package, built from leaked-password corpora; Django ships a similar 20,000-entry list),
 * compared lower-cased and trimmed. Pass your own list to replace it.
 *
 * @example
 * new CommonPasswordValidator().validate("password1"); // throws
 */
export class CommonPasswordValidator implements PasswordValidator {
  readonly #passwords: ReadonlySet<string>;
  constructor(passwords?: Iterable<string>) {
    if (passwords === undefined) {
      commonPasswords ??= new Set((dictionary["passwords-common"] as readonly string[]).map((word) => word.toLowerCase().trim()));
      this.#passwords = commonPasswords;
    } else {
      this.#passwords = new Set([...passwords].map((word) => word.toLowerCase().trim()));
    }
  }
  validate(password: string): void {
    if (this.#passwords.has(password.toLowerCase().trim())) {
      throw new ValidationError("This password is too common.", { code: "password_too_common" });
    }
  }
  getHelpText(): string {
    return "Your password can’t be a commonly used password.";
  }
}

/**
 * Not only digits.
 *
 * @example
 * new NumericPasswordValidator().validate("12345678901"); // throws
 */
export class NumericPasswordValidator implements PasswordValidator {
  validate(password: string): void {
    if (/^\p{Nd}+$/u.test(password)) throw new ValidationError("This password is entirely numeric.", { code: "password_entirely_numeric" });
  }
  getHelpText(): string {
    return "Your password can’t be entirely numeric.";
  }
}

/** Python's `difflib.SequenceMatcher.quick_ratio()`: 2 * shared characters / total length. */
export function quickRatio(a: string, b: string): number {
  const counts = new Map<string, number>();
  for (const c of b) counts.set(c, (counts.get(c) ?? 0) + 1);
  let matches = 0;
  for (const c of a) {
    const left = counts.get(c) ?? 0;
    if (left > 0) {
      matches++;
      counts.set(c, left - 1);
    }
  }
  const total = [...a].length + [...b].length;
  return total === 0 ? 1 : (2 * matches) / total;
}

/**
 * Not too similar to the user's username, names or email (Django's
 * `UserAttributeSimilarityValidator`, same ratio and same parts: the whole value and each
 * word of it, the email's local part included).
 *
 * @example
 * new UserAttributeSimilarityValidator().validate("alice2026", { username: "alice2026" }); // throws
 */
export class UserAttributeSimilarityValidator implements PasswordValidator {
  static readonly DEFAULT_USER_ATTRIBUTES = ["username", "firstName", "lastName", "email"] as const;
  constructor(
    readonly userAttributes: readonly string[] = UserAttributeSimilarityValidator.DEFAULT_USER_ATTRIBUTES,
    readonly maxSimilarity = 0.7,
  ) {
    if (maxSimilarity < 0.1) throw new RangeError("maxSimilarity must be at least 0.1");
  }
  validate(password: string, user?: PasswordUser): void {
    if (user === undefined) return;
    const lowered = password.toLowerCase();
    for (const attribute of this.userAttributes) {
      const value = user[attribute];
      if (typeof value !== "string" || value === "") continue;
      const parts = [value, ...value.split(/\W+/)].map((part) => part.toLowerCase()).filter(Boolean);
      for (const part of parts) {
        // Django skips values much shorter than the password: they cannot be "too similar".
        const pwdLength = [...password].length;
        if (pwdLength >= 10 * part.length && part.length < (this.maxSimilarity / 2) * pwdLength) continue;
        if (quickRatio(lowered, part) >= this.maxSimilarity) {
          const verbose = attribute.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
          throw new ValidationError(`The password is too similar to the ${verbose}.`, { code: "password_too_similar", params: { verbose_name: verbose } });
        }
      }
    }
  }
  getHelpText(): string {
    return "Your password can’t be too similar to your other personal information.";
  }
}

declare module "../settings/types.js" {
  interface Settings {
    /** Rules new passwords must pass (Django's AUTH_PASSWORD_VALIDATORS; default: none, as in Django's settings; `startproject` lists all four). */
    AUTH_PASSWORD_VALIDATORS?: readonly PasswordValidator[];
  }
}

/** The four validators Django's `startproject` settings list. @example defineSettings({ AUTH_PASSWORD_VALIDATORS: defaultPasswordValidators(), ... }) */
export function defaultPasswordValidators(): PasswordValidator[] {
  return [new UserAttributeSimilarityValidator(), new MinimumLengthValidator(), new CommonPasswordValidator(), new NumericPasswordValidator()];
}

function validatorsFor(validators: readonly PasswordValidator[] | undefined, settings: Settings | undefined): readonly PasswordValidator[] {
  return validators ?? settings?.AUTH_PASSWORD_VALIDATORS ?? currentContext()?.settings.AUTH_PASSWORD_VALIDATORS ?? [];
}

/**
 * Runs every validator and throws one ValidationError with all their messages (Django's `validate_password`).
 *
 * @example
 * validatePassword(form.cleanedData.password1, { username });
 */
export function validatePassword(password: string, user?: PasswordUser, validators?: readonly PasswordValidator[], settings?: Settings): void {
  const errors: ValidationError[] = [];
  for (const validator of validatorsFor(validators, settings)) {
    try {
      validator.validate(password, user);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      errors.push(error);
    }
  }
  if (errors.length > 0) throw new ValidationError(errors);
}

/** The validators' help texts. @example passwordValidatorsHelpTexts(); // ["Your password must contain at least 8 characters.", ...] */
export function passwordValidatorsHelpTexts(validators?: readonly PasswordValidator[], settings?: Settings): string[] {
  return validatorsFor(validators, settings).map((validator) => validator.getHelpText());
}
