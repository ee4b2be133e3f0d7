import { EventEmitter } from "node:events";
import { describe, expect, it, vi } from "vitest";
import { DEFAULT_IGNORED, watchPaths } from "../../src/helpers/index.js";
import type { FileWatcher, WatchFunction } from "../../src/helpers/index.js";

// chokidar is the servers' dependency, not tsgi's: here a watcher of the same shape, driven by hand.
// tsgi-dev's and tsgi-worker's reload suites run watchPaths over real chokidar and real files.
class HandWatcher extends EventEmitter implements FileWatcher {
  added: string[] = [];
  closed = false;
  constructor(readonly paths: string[], readonly ignored: (path: string) => boolean) {
    super();
  }
  add(paths: string | readonly string[]): void {
    this.added.push(...(typeof paths === "string" ? [paths] : paths));
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

function handWatch(): { watch: WatchFunction; last(): HandWatcher } {
  let last: HandWatcher | undefined;
  return {
    watch: (paths, options) => (last = new HandWatcher(paths, options.ignored)),
    last: () => last as HandWatcher,
  };
}

describe("watchPaths", () => {
  it("reports accepted adds, changes and removals, once ready; skips node_modules and .git by default", async () => {
    const hand = handWatch();
    const seen: string[] = [];
    const watcher = watchPaths({ watch: hand.watch, paths: ["/app/src"], accept: (path) => path.endsWith(".ts"), onChange: (path) => seen.push(path) });
    const inner = hand.last();
    expect(inner.paths).toEqual(["/app/src"]);
    expect([inner.ignored("/app/node_modules/x/index.js"), inner.ignored("/app/.git/HEAD"), inner.ignored("/app/src/views.ts")]).toEqual([true, true, false]);
    inner.emit("ready");
    await watcher.ready;
    inner.emit("change", "/app/src/views.ts");
    inner.emit("add", "/app/src/new.ts");
    inner.emit("unlink", "/app/src/old.ts");
    inner.emit("change", "/app/src/data.json");
    expect(seen).toEqual(["/app/src/views.ts", "/app/src/new.ts", "/app/src/old.ts"]);
    watcher.add(["/lib/shared.ts"]);
    expect(inner.added).toEqual(["/lib/shared.ts"]);
    await watcher.close();
    expect(inner.closed).toBe(true);
    expect(DEFAULT_IGNORED.test("/x/node_modules")).toBe(true);
  });

  it("debounces a burst into one report with its first path", async () => {
    vi.useFakeTimers();
    try {
      const hand = handWatch();
      const seen: string[] = [];
      const watcher = watchPaths({ watch: hand.watch, paths: ["/app"], ignored: /dist/, debounceMs: 100, onChange: (path) => seen.push(path) });
      const inner = hand.last();
      expect(inner.ignored("/app/dist/app.js")).toBe(true);
      inner.emit("change", "/app/a.ts");
      vi.advanceTimersByTime(50);
      inner.emit("change", "/app/b.ts");
      vi.advanceTimersByTime(99);
      expect(seen).toEqual([]);
      vi.advanceTimersByTime(1);
      expect(seen).toEqual(["/app/a.ts"]);
      inner.emit("change", "/app/c.ts");
      await watcher.close(); // a pending burst is dropped with the watcher
      vi.advanceTimersByTime(200);
      expect(seen).toEqual(["/app/a.ts"]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("rejects ready when the watcher fails to start", async () => {
    const hand = handWatch();
    const watcher = watchPaths({ watch: hand.watch, paths: ["/nowhere"], onChange: () => {} });
    hand.last().emit("error", new Error("EMFILE"));
    await expect(watcher.ready).rejects.toThrow("EMFILE");
  });
});
