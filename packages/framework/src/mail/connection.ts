import { currentContext } from "../handler/requestContext.js";
import { ImproperlyConfigured } from "../exceptions.js";
import type { Settings } from "../settings/types.js";
import type { EmailBackend } from "./backends/base.js";
import { ConsoleEmailBackend } from "./backends/console.js";
import { FileEmailBackend } from "./backends/file.js";
import { DummyEmailBackend, LocmemEmailBackend } from "./backends/locmem.js";
import { SmtpEmailBackend } from "./backends/smtp.js";

/** The built-in backends by name. */
export type EmailBackendName = "smtp" | "console" | "file" | "locmem" | "dummy";

declare module "../settings/types.js" {
  interface Settings {
    /** Where `sendMail` sends: "smtp" (default), "console", "file", "locmem", "dummy", or a backend object. */
    EMAIL_BACKEND?: EmailBackendName | EmailBackend;
    EMAIL_HOST?: string;
    EMAIL_PORT?: number;
    EMAIL_HOST_USER?: string;
    EMAIL_HOST_PASSWORD?: string;
    EMAIL_USE_TLS?: boolean;
    EMAIL_USE_SSL?: boolean;
    EMAIL_TIMEOUT?: number | null;
    /** The folder of the file backend. */
    EMAIL_FILE_PATH?: string | null;
    /** The From of messages that name none (default "webmaster@localhost"). */
    DEFAULT_FROM_EMAIL?: string;
  }
}

/**
 * The backend EMAIL_BACKEND names (Django's `get_connection`), or the one given.
 *
 * @example
 * const connection = getConnection("console");
 */
export function getConnection(backend?: EmailBackendName | EmailBackend, settings: Settings | undefined = currentContext()?.settings): EmailBackend {
  const choice = backend ?? settings?.EMAIL_BACKEND ?? "smtp";
  if (typeof choice === "object") return choice;
  const from = settings?.DEFAULT_FROM_EMAIL ?? "webmaster@localhost";
  switch (choice) {
    case "console":
      return new ConsoleEmailBackend(from);
    case "file":
      return new FileEmailBackend(from, settings?.EMAIL_FILE_PATH);
    case "locmem":
      return new LocmemEmailBackend();
    case "dummy":
      return new DummyEmailBackend();
    case "smtp":
      return new SmtpEmailBackend(from, {
        host: settings?.EMAIL_HOST ?? "localhost",
        port: settings?.EMAIL_PORT ?? 25,
        ...(settings?.EMAIL_HOST_USER !== undefined && { user: settings.EMAIL_HOST_USER }),
        ...(settings?.EMAIL_HOST_PASSWORD !== undefined && { password: settings.EMAIL_HOST_PASSWORD }),
        useTls: settings?.EMAIL_USE_TLS ?? false,
        useSsl: settings?.EMAIL_USE_SSL ?? false,
        timeout: settings?.EMAIL_TIMEOUT ?? null,
      });
    default:
      throw new ImproperlyConfigured(`EMAIL_BACKEND: unknown backend ${JSON.stringify(choice)}; use "smtp", "console", "file", "locmem", "dummy" or a backend object.`);
  }
}
