import { fileURLToPath } from "node:url";
import type { SaveContext, SessionBackend, SessionData } from "../../../sessions/backend.js";
import { newSessionKey } from "../../../sessions/session.js";
import { Session } from "./models.js";

const VALID_KEY = /^[a-z0-9]{8,40}$/;

/**
 * The app folder holding the session model and its migration: add it to `INSTALLED_APPS` and run
 * `manage migrate` to create the `tsgi_session` table.
 *
 * @example
 * INSTALLED_APPS: [SESSIONS_APP, "polls"],
 */
export const SESSIONS_APP = fileURLToPath(new URL(".", import.meta.url));

/**
 * Sessions in the database (Django's `django.contrib.sessions.backends.db`): one row per session
 * in `tsgi_session`, expired rows ignored and removed by `manage clearsessions`.
 *
 * @example
 * SESSION_ENGINE: new DatabaseSessionBackend(),
 */
export class DatabaseSessionBackend implements SessionBackend {
  constructor(readonly options: { using?: string } = {}) {}

  get #objects() {
    return Session.objects.using(this.options.using ?? "default");
  }

  async load(sessionKey: string): Promise<SessionData | undefined> {
    if (!VALID_KEY.test(sessionKey)) return undefined;
    const row = await this.#objects.filter({ sessionKey, expireDate__gt: new Date() }).first();
    if (row === undefined) return undefined;
    try {
      const data = JSON.parse(row.sessionData) as unknown;
      return typeof data === "object" && data !== null && !Array.isArray(data) ? (data as SessionData) : undefined;
    } catch {
      return undefined;
    }
  }

  async save(sessionKey: string | undefined, data: SessionData, context: SaveContext): Promise<string> {
    const key = sessionKey !== undefined && VALID_KEY.test(sessionKey) ? sessionKey : newSessionKey();
    const values = { sessionData: JSON.stringify(data), expireDate: new Date(context.expiresAt) };
    const updated = await this.#objects.filter({ sessionKey: key }).update(values);
    if (updated === 0) await this.#objects.create({ sessionKey: key, ...values });
    return key;
  }

  async delete(sessionKey: string): Promise<void> {
    await this.#objects.filter({ sessionKey }).delete();
  }

  /** Deletes expired sessions (Django's `clearsessions`); returns how many. */
  async clearExpired(): Promise<number> {
    return this.#objects.filter({ expireDate__lte: new Date() }).delete();
  }
}
