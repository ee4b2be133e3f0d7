import type { FileHandle } from "node:fs/promises";
import type { FileLike, FileSource, ResponseBody } from "../types.js";

const DEFAULT_BLOCK_SIZE = 64 * 1024;

function isFileHandle(file: FileSource): file is FileHandle {
  return typeof (file as FileHandle).fd === "number" && typeof (file as FileHandle).stat === "function";
}

/** A `blockSize` that is not a positive integer (0 would end the body at once, a fraction cannot size a read). */
export class InvalidBlockSizeError extends RangeError {
  override name = "InvalidBlockSizeError";
}

/**
 * The reference `tsgi.file_wrapper`: a response body that reads a file in
 * blocks and closes it when the server calls `close()`. Servers recognise it
 * (`body instanceof FileWrapper`) to send the file their own faster way.
 *
 * @example
 * const handle = await open("report.pdf");
 * startResponse("200 OK", [["Content-Type", "application/pdf"]]);
 * return new FileWrapper(handle);
 */
export class FileWrapper implements AsyncIterable<Uint8Array> {
  constructor(
    readonly file: FileSource,
    readonly blockSize: number = DEFAULT_BLOCK_SIZE,
  ) {
    // Checked here, in the app's call, so the mistake is an app error with a clear message, not an empty body.
    if (!Number.isSafeInteger(blockSize) || blockSize <= 0) {
      throw new InvalidBlockSizeError(`FileWrapper: blockSize must be a positive integer, got ${blockSize}`);
    }
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    const file = this.file;
    if (isFileHandle(file)) {
      for (;;) {
        const buffer = new Uint8Array(this.blockSize);
        const { bytesRead } = await file.read(buffer, 0, this.blockSize, null);
        if (bytesRead === 0) return;
        yield bytesRead === this.blockSize ? buffer : buffer.subarray(0, bytesRead);
      }
    }
    for (;;) {
      const chunk = await (file as FileLike).read(this.blockSize);
      if (chunk.length === 0) return;
      yield chunk;
    }
  }

  async close(): Promise<void> {
    await this.file.close?.();
  }
}

/**
 * `tsgi.file_wrapper` as servers put it in the environ.
 *
 * @example
 * const wrap = environ["tsgi.file_wrapper"] ?? fileWrapper;
 * return wrap(await open(path));
 */
export function fileWrapper(file: FileSource, blockSize?: number): ResponseBody {
  return new FileWrapper(file, blockSize);
}
