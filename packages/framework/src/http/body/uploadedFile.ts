import { closeSync, createReadStream, openSync, readSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";

/** What the multipart parser learned about one uploaded file. */
export interface UploadedFileInit {
  fieldName: string;
  /** The client's file name, reduced to a base name. */
  name: string;
  contentType: string;
  charset: string | undefined;
  size: number;
  /** Contents when small enough to stay in memory. */
  data?: Uint8Array;
  /** Where the contents were spooled when larger than FILE_UPLOAD_MAX_MEMORY_SIZE. */
  temporaryFilePath?: string;
}

/**
 * A file from a multipart upload (Django's `UploadedFile`): in memory when small,
 * in a temporary file otherwise. Temporary files are deleted when the response
 * is closed; copy or move them in the view to keep them.
 *
 * @example
 * const upload = (await request.FILES()).get("avatar");
 * if (upload) await writeFile(`media/${upload.name}`, await upload.read());
 */
export class UploadedFile {
  readonly fieldName: string;
  readonly name: string;
  readonly contentType: string;
  readonly charset: string | undefined;
  readonly size: number;
  readonly temporaryFilePath: string | undefined;
  readonly #data: Uint8Array | undefined;

  constructor(init: UploadedFileInit) {
    this.fieldName = init.fieldName;
    this.name = init.name;
    this.contentType = init.contentType;
    this.charset = init.charset;
    this.size = init.size;
    this.#data = init.data;
    this.temporaryFilePath = init.temporaryFilePath;
  }

  /** True when the contents are held in memory. */
  get inMemory(): boolean {
    return this.#data !== undefined;
  }

  /** The whole contents. */
  async read(): Promise<Uint8Array> {
    if (this.#data !== undefined) return this.#data;
    return new Uint8Array(await readFile(this.temporaryFilePath as string));
  }

  /** The contents decoded as text (the part's charset, else utf-8). */
  async text(): Promise<string> {
    return new TextDecoder(this.charset ?? "utf-8").decode(await this.read());
  }

  /**
   * The first `length` bytes, read synchronously: for checks inside a form's synchronous
   * `clean()`, such as an image's signature.
   *
   * @example
   * const magic = upload.readHeadSync(8);
   */
  readHeadSync(length: number): Uint8Array {
    if (this.#data !== undefined) return this.#data.subarray(0, length);
    const fd = openSync(this.temporaryFilePath as string, "r");
    try {
      const buffer = new Uint8Array(Math.min(length, this.size));
      const read = readSync(fd, buffer, 0, buffer.length, 0);
      return buffer.subarray(0, read);
    } finally {
      closeSync(fd);
    }
  }

  /** The contents in chunks, without loading a spooled file into memory. */
  async *chunks(chunkSize = 64 * 1024): AsyncIterable<Uint8Array> {
    if (this.#data !== undefined) {
      for (let at = 0; at < this.#data.length; at += chunkSize) yield this.#data.subarray(at, at + chunkSize);
      return;
    }
    for await (const chunk of createReadStream(this.temporaryFilePath as string, { highWaterMark: chunkSize })) {
      yield chunk as Buffer;
    }
  }

  /** Deletes the temporary file, if any. Called for you when the response closes. */
  async cleanup(): Promise<void> {
    if (this.temporaryFilePath !== undefined) await rm(this.temporaryFilePath, { force: true });
  }
}
