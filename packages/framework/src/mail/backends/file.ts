import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ImproperlyConfigured } from "../../exceptions.js";
import { randomBytes } from "node:crypto";
import type { EmailMessage } from "../message.js";
import type { EmailBackend } from "./base.js";

/**
 * Writes each message to its own `.log` file in a folder (Django's file backend: EMAIL_FILE_PATH).
 *
 * @example
 * defineSettings({ EMAIL_BACKEND: "file", EMAIL_FILE_PATH: "/tmp/app-messages", ... })
 */
export class FileEmailBackend implements EmailBackend {
  constructor(
    readonly defaultFrom: string,
    readonly directory: string | null | undefined,
  ) {
    if (!directory) throw new ImproperlyConfigured("The file email backend needs EMAIL_FILE_PATH: the folder to write messages to.");
  }

  async sendMessages(messages: readonly EmailMessage[]): Promise<number> {
    const directory = this.directory as string;
    await mkdir(directory, { recursive: true });
    let sent = 0;
    for (const message of messages) {
      if (message.recipients().length === 0) continue;
      const stamp = new Date().toISOString().replace(/[-:.]/g, "");
      await writeFile(join(directory, `${stamp}-${randomBytes(4).toString("hex")}.log`), await message.toMime(this.defaultFrom), { flag: "wx" });
      sent++;
    }
    return sent;
  }
}
