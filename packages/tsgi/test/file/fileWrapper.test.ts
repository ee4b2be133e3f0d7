import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { FileWrapper, InvalidBlockSizeError, callApp, fileWrapper, type FileLike } from "../../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "tsgi-file-wrapper-"));
const CONTENT = "0123456789abcdefghij-tail";
const path = join(dir, "data.txt");
writeFileSync(path, CONTENT);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const opened: FileHandle[] = [];
afterEach(async () => {
  for (const handle of opened.splice(0)) if (handle.fd !== -1) await handle.close();
});
async function openData(): Promise<FileHandle> {
  const handle = await open(path, "r");
  opened.push(handle);
  return handle;
}

async function collect(body: AsyncIterable<Uint8Array>): Promise<string[]> {
  const blocks: string[] = [];
  for await (const block of body) blocks.push(Buffer.from(block).toString("latin1"));
  return blocks;
}

describe("FileWrapper (the reference tsgi.file_wrapper)", () => {
  it("reads a FileHandle in blocks of blockSize, the last one shorter", async () => {
    const blocks = await collect(new FileWrapper(await openData(), 8));
    expect(blocks).toEqual(["01234567", "89abcdef", "ghij-tai", "l"]);
  });

  it("starts at the file's current position, as PEP 3333's wrapper does", async () => {
    const handle = await openData();
    await handle.read(new Uint8Array(10), 0, 10, null); // the app already consumed a prefix
    expect((await collect(fileWrapper(handle, 64) as AsyncIterable<Uint8Array>)).join("")).toBe("abcdefghij-tail");
  });

  it("closes the FileHandle when the server calls close()", async () => {
    const handle = await openData();
    const wrapper = new FileWrapper(handle);
    await collect(wrapper);
    expect(handle.fd).not.toBe(-1);
    await wrapper.close();
    expect(handle.fd).toBe(-1);
  });

  it("reads any object with read(size), passing blockSize, and closes it", async () => {
    const data = Buffer.from(CONTENT);
    const sizes: Array<number | undefined> = [];
    let offset = 0;
    let closed = 0;
    const source: FileLike = {
      read(size) {
        sizes.push(size);
        const block = data.subarray(offset, offset + (size ?? data.length));
        offset += block.length;
        return block;
      },
      close: () => void (closed += 1),
    };
    const wrapper = new FileWrapper(source, 10);
    expect(await collect(wrapper)).toEqual(["0123456789", "abcdefghij", "-tail"]);
    expect(sizes).toEqual([10, 10, 10, 10]);
    await wrapper.close();
    expect(closed).toBe(1);
  });

  it("is an ordinary body: callApp sends the file and closes it", async () => {
    const handle = await openData();
    const response = await callApp((environ, startResponse) => {
      startResponse("200 OK", [["Content-Type", "text/plain"], ["Content-Length", String(CONTENT.length)]]);
      const wrap = environ["tsgi.file_wrapper"] ?? fileWrapper;
      return wrap(handle, 4);
    });
    expect(response.text()).toBe(CONTENT);
    expect(handle.fd).toBe(-1);
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])("throws InvalidBlockSizeError for blockSize %s, naming it", async (blockSize) => {
    const handle = await openData();
    expect(() => new FileWrapper(handle, blockSize)).toThrow(InvalidBlockSizeError);
    expect(() => fileWrapper(handle, blockSize)).toThrow(`blockSize must be a positive integer, got ${blockSize}`);
  });
});
