import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { ImproperlyConfigured } from "../exceptions.js";
import { BaseCache, CacheKeyMissing, type CacheSettings } from "./backend.js";

const SUFFIX = ".djcache";

interface Entry {
  value: string;
  /** ms since the epoch, or null for never. */
  expiresAt: number | null;
}

const isMissing = (error: unknown): boolean => error instanceof Error && "code" in error && error.code === "ENOENT";

/**
 * The file cache (Django's `FileBasedCache`): one file per key in the LOCATION folder
 * (created when missing), shared by every worker on the machine. A file holds its expiry
 * on the first line and the JSON value after it; writes go to a temporary file renamed
 * over the entry, so a reader never sees half a value. Beyond `OPTIONS.MAX_ENTRIES` (300)
 * files, 1/`CULL_FREQUENCY` (3) of them are removed. `incr` and `add` are read-then-write,
 * not atomic across processes (as Django's); use "redis" for counters under load.
 *
 * @example
 * const cache = new FileBasedCache({ LOCATION: "/var/tmp/site-cache" });
 */
export class FileBasedCache extends BaseCache {
  readonly location: string;
  readonly #maxEntries: number;
  readonly #cullFrequency: number;

  constructor(settings: CacheSettings) {
    super(settings);
    if (typeof settings.LOCATION !== "string" || settings.LOCATION === "") {
      throw new ImproperlyConfigured('The "file" cache needs LOCATION: the folder to keep entries in, such as "/var/tmp/site-cache".');
    }
    this.location = settings.LOCATION;
    const max = settings.OPTIONS?.MAX_ENTRIES;
    const cull = settings.OPTIONS?.CULL_FREQUENCY;
    this.#maxEntries = typeof max === "number" && max > 0 ? max : 300;
    this.#cullFrequency = typeof cull === "number" && cull >= 0 ? cull : 3;
  }

  #path(fullKey: string): string {
    return join(this.location, createHash("md5").update(fullKey).digest("hex") + SUFFIX);
  }

  async #read(fullKey: string): Promise<Entry | undefined> {
    const file = this.#path(fullKey);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
    const newline = text.indexOf("\n");
    const head = text.slice(0, newline);
    const expiresAt = head === "never" ? null : Number(head);
    if (newline < 0 || (expiresAt !== null && !Number.isFinite(expiresAt))) return undefined;
    if (expiresAt !== null && expiresAt <= Date.now()) {
      await rm(file, { force: true });
      return undefined;
    }
    return { value: text.slice(newline + 1), expiresAt };
  }

  async #write(fullKey: string, entry: Entry): Promise<void> {
    await mkdir(this.location, { recursive: true });
    await this.#cull();
    const file = this.#path(fullKey);
    // Same folder, so rename() is atomic: readers see the old value or the new one, whole.
    const temporary = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    await writeFile(temporary, `${entry.expiresAt === null ? "never" : entry.expiresAt}\n${entry.value}`);
    try {
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async #entries(): Promise<string[]> {
    try {
      return (await readdir(this.location)).filter((name) => name.endsWith(SUFFIX)).map((name) => join(this.location, name));
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  /** Django's `_cull`: past MAX_ENTRIES, drop a random 1/CULL_FREQUENCY (0 = everything). */
  async #cull(): Promise<void> {
    const files = await this.#entries();
    if (files.length < this.#maxEntries) return;
    if (this.#cullFrequency === 0) {
      await Promise.all(files.map((file) => rm(file, { force: true })));
      return;
    }
    const count = Math.floor(files.length / this.#cullFrequency);
    const shuffled = files.map((file) => ({ file, order: Math.random() })).sort((a, b) => a.order - b.order);
    await Promise.all(shuffled.slice(0, count).map(({ file }) => rm(file, { force: true })));
  }

  protected async rawGet(fullKey: string): Promise<string | undefined> {
    return (await this.#read(fullKey))?.value;
  }

  protected async rawSet(fullKey: string, value: string, seconds: number | null, onlyIfMissing: boolean): Promise<boolean> {
    if (onlyIfMissing && (await this.#read(fullKey)) !== undefined) return false;
    await this.#write(fullKey, { value, expiresAt: seconds === null ? null : Date.now() + seconds * 1000 });
    return true;
  }

  protected async rawDelete(fullKeys: string[]): Promise<number> {
    let removed = 0;
    for (const key of fullKeys) {
      if ((await this.#read(key)) === undefined) continue;
      await rm(this.#path(key), { force: true });
      removed++;
    }
    return removed;
  }

  protected async rawTouch(fullKey: string, seconds: number | null): Promise<boolean> {
    const entry = await this.#read(fullKey);
    if (entry === undefined) return false;
    await this.#write(fullKey, { value: entry.value, expiresAt: seconds === null ? null : Date.now() + seconds * 1000 });
    return true;
  }

  protected async rawIncr(fullKey: string, delta: number): Promise<number> {
    const entry = await this.#read(fullKey);
    if (entry === undefined) throw new CacheKeyMissing(fullKey);
    const current: unknown = JSON.parse(entry.value);
    if (typeof current !== "number" || !Number.isInteger(current)) throw new TypeError(`incr(): the value at "${fullKey}" is not an integer.`);
    await this.#write(fullKey, { value: JSON.stringify(current + delta), expiresAt: entry.expiresAt });
    return current + delta;
  }

  /** Removes every entry in the folder (as Django's: the folder is the cache's own). */
  async clear(): Promise<void> {
    await Promise.all((await this.#entries()).map((file) => rm(file, { force: true })));
  }

  /** The number of entries on disk (expired ones included until read or culled). */
  async size(): Promise<number> {
    return (await this.#entries()).length;
  }
}

