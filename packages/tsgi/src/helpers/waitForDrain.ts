import type { EventEmitter } from "node:events";

/**
 * Waits until a writable that refused a chunk (`write()` returned false) can
 * take more: its `drain`, or its `close` or `error` (a peer that went away never
 * drains), or `signal`'s abort when the response is abandoned. Resolves in
 * every case and removes its listeners: the caller's next write tells what happened.
 *
 * @example
 * if (!socket.write(chunk)) await waitForDrain(socket);
 */
export function waitForDrain(stream: Pick<EventEmitter, "on" | "off">, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = (): void => {
      stream.off("drain", done);
      stream.off("close", done);
      stream.off("error", done);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("close", done);
    stream.on("error", done);
    signal?.addEventListener("abort", done, { once: true });
  });
}
