import { arrayOf, isNonNegativeInteger, isString, nullable, type Check } from "../settings/checks.js";

/** An object with these methods. */
function hasMethods(what: string, example: string, ...methods: string[]): Check {
  return (v) => {
    const target = v as Record<string, unknown> | null;
    const ok = typeof target === "object" && target !== null && methods.every((method) => typeof target[method] === "function");
    return ok ? undefined : `expected ${what} (an object with ${methods.join(", ")}), e.g. ${example}; got ${typeof v === "object" ? "an object without them" : JSON.stringify(v)}`;
  };
}

const isEmailBackend: Check = (v) =>
  typeof v === "string"
    ? ["smtp", "console", "file", "locmem", "dummy"].includes(v)
      ? undefined
      : `expected "smtp", "console", "file", "locmem", "dummy" or a backend object, got ${JSON.stringify(v)}`
    : hasMethods("an email backend", "new SmtpEmailBackend(...)", "sendMessages")(v);

/**
 * How `defineSettings` checks the forms/auth/mail settings at start-up (merged into the
 * batteries' schema), so `PASSWORD_HASHERS: ["pbkdf2"]` fails the deploy naming the setting.
 */
export const AUTH_SETTINGS_SCHEMA: Readonly<Record<string, Check>> = {
  PASSWORD_HASHERS: arrayOf(hasMethods("a password hasher", "new PBKDF2PasswordHasher()", "encode", "verify")),
  AUTH_PASSWORD_VALIDATORS: arrayOf(hasMethods("a password validator", "new MinimumLengthValidator(8)", "validate", "getHelpText")),
  AUTHENTICATION_BACKENDS: arrayOf(hasMethods("an authentication backend", "new ModelBackend()", "authenticate", "getUser")),
  LOGIN_THROTTLE: (v) => (v === null ? undefined : hasMethods("a login throttle", "new MemoryLoginThrottle()", "isBlocked", "failure", "success")(v)),
  LOGIN_URL: isString,
  LOGIN_REDIRECT_URL: isString,
  LOGOUT_REDIRECT_URL: nullable(isString),
  PASSWORD_RESET_TIMEOUT: isNonNegativeInteger,
  EMAIL_BACKEND: isEmailBackend,
  EMAIL_HOST: isString,
  EMAIL_PORT: isNonNegativeInteger,
  EMAIL_HOST_USER: isString,
  EMAIL_HOST_PASSWORD: isString,
  EMAIL_USE_TLS: (v) => (typeof v === "boolean" ? undefined : `expected true or false, got ${JSON.stringify(v)}`),
  EMAIL_USE_SSL: (v) => (typeof v === "boolean" ? undefined : `expected true or false, got ${JSON.stringify(v)}`),
  EMAIL_TIMEOUT: nullable(isNonNegativeInteger),
  EMAIL_FILE_PATH: nullable(isString),
  DEFAULT_FROM_EMAIL: isString,
};
