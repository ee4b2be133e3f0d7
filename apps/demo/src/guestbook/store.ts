/**
 * The guestbook's store: the `GuestbookEntry` model in SQLite (`db.sqlite3`), plus an
 * `uploads/` folder, under DEMO_DATA_DIR (default `apps/demo/data/`). The database is
 * created and migrated on first use, so `pnpm dev` needs no manual step; several worker
 * processes share the file (WAL mode, busy timeout).
 */
import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { connections, models } from "@tsgi/framework";
import { AUTH_APP } from "@tsgi/framework/auth";
import { GuestbookEntry, type AttachmentInfo } from "./models.js";

/** One signed line of the guestbook, as the views and templates use it. */
export interface Entry {
  id: string;
  name: string;
  message: string;
  createdAt: string;
  attachment?: AttachmentInfo;
}

const APP_DIR = dirname(fileURLToPath(import.meta.url));

/** Where the demo keeps its data. */
export function dataDir(): string {
  return resolve(process.env.DEMO_DATA_DIR ?? join(APP_DIR, "../../data"));
}

let migrated: { dir: string; done: Promise<void> } | undefined;

/**
 * Points the database at `<dataDir>/db.sqlite3` and applies the guestbook's migrations, once per
 * data folder (the folder is read on each call, as DEMO_DATA_DIR may differ between the servers a
 * test suite runs in one process).
 */
export async function ensureDatabase(): Promise<void> {
  const dir = dataDir();
  if (migrated?.dir !== dir) {
    const done = (async () => {
      await mkdir(join(dir, "uploads"), { recursive: true });
      await connections.configure({ DATABASES: { default: { ENGINE: "sqlite", NAME: join(dir, "db.sqlite3") } } });
      await models.applyMigrations(await models.loadMigrations([{ label: "auth", path: AUTH_APP }, { label: "guestbook", path: APP_DIR }]));
    })();
    migrated = { dir, done };
    done.catch(() => {
      if (migrated?.done === done) migrated = undefined;
    });
  }
  return migrated.done;
}

function toEntry(row: GuestbookEntry): Entry {
  return { id: row.id, name: row.name, message: row.message, createdAt: row.createdAt.toISOString(), ...(row.attachment && { attachment: row.attachment }) };
}

/** Every entry, newest first. */
export async function listEntries(): Promise<Entry[]> {
  await ensureDatabase();
  return (await GuestbookEntry.objects.orderBy("-createdAt", "-id").toArray()).map(toEntry);
}

/** Finds one entry by id. */
export async function getEntry(id: string): Promise<Entry | undefined> {
  await ensureDatabase();
  const row = await GuestbookEntry.objects.filter({ id }).first();
  return row && toEntry(row);
}

/** Adds an entry (and stores its attachment's bytes) and returns it. */
export async function addEntry(input: { name: string; message: string; attachment?: { name: string; contentType: string; bytes: Uint8Array } }): Promise<Entry> {
  await ensureDatabase();
  const id = randomUUID();
  let attachment: AttachmentInfo | null = null;
  if (input.attachment) {
    const storedAs = `${id}.bin`;
    await writeFile(join(dataDir(), "uploads", storedAs), input.attachment.bytes);
    attachment = { name: input.attachment.name, contentType: input.attachment.contentType, size: input.attachment.bytes.length, storedAs };
  }
  return toEntry(await GuestbookEntry.objects.create({ id, name: input.name, message: input.message, attachment }));
}

/** The path of a stored attachment. */
export function attachmentPath(entry: Entry): string | undefined {
  return entry.attachment ? join(dataDir(), "uploads", entry.attachment.storedAs) : undefined;
}
