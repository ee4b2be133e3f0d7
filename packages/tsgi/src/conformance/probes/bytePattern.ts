import { createHash } from "node:crypto";

/** Size of each generated chunk. */
export const PATTERN_CHUNK_SIZE = 64 * 1024;

const base = Buffer.alloc(PATTERN_CHUNK_SIZE);
for (let index = 0; index < base.length; index++) base[index] = (index * 31 + 7) & 0xff;

/**
 * Chunk `index` of a deterministic byte stream: a fixed pattern stamped with
 * the chunk number, so lost, repeated or reordered chunks change the digest.
 * Both the probe (server side) and the check (client side) generate it.
 *
 * @example
 * const first = patternChunk(0, PATTERN_CHUNK_SIZE);
 */
export function patternChunk(index: number, size: number): Uint8Array {
  const chunk = Buffer.from(base.subarray(0, size));
  if (size >= 4) chunk.writeUInt32BE(index >>> 0, 0);
  return chunk;
}

/**
 * The pattern stream of `totalBytes` bytes, produced lazily chunk by chunk.
 *
 * @example
 * for (const chunk of patternChunks(50 * 1024 * 1024)) socket.write(chunk);
 */
export function* patternChunks(totalBytes: number): Generator<Uint8Array> {
  let index = 0;
  for (let sent = 0; sent < totalBytes; sent += PATTERN_CHUNK_SIZE) {
    yield patternChunk(index++, Math.min(PATTERN_CHUNK_SIZE, totalBytes - sent));
  }
}

/**
 * The SHA-256 (hex) of the pattern stream of `totalBytes` bytes.
 *
 * @example
 * expect(receivedDigest).toBe(patternDigest(50 * 1024 * 1024));
 */
export function patternDigest(totalBytes: number): string {
  // Several checks (and several suites in one file) need the same 50-200 MiB digests: compute each once.
  let digest = digests.get(totalBytes);
  if (digest === undefined) {
    const hash = createHash("sha256");
    for (const chunk of patternChunks(totalBytes)) hash.update(chunk);
    digest = hash.digest("hex");
    digests.set(totalBytes, digest);
  }
  return digest;
}

const digests = new Map<number, string>();
