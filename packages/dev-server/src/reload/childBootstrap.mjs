// Entry of an app process under autoreload: load TypeScript through tsx and tell
// the supervisor about every file the app imports, so exactly those are watched.
// Plain JavaScript (it registers the loader, so it cannot need one); tsc copies it into
// dist/ (allowJs in tsconfig.build.json). The supervisor passes the child module to run:
// child.ts from the sources, child.js from the published dist/.
import { fileURLToPath, pathToFileURL } from "node:url";

// No orphans, even while warming up: exit as soon as the supervisor's IPC channel closes.
process.on("disconnect", () => process.exit(0));
if (!process.connected) process.exit(0);

const { register } = await import("tsx/esm/api");

const imported = new Set();
let flushScheduled = false;

function flush() {
  flushScheduled = false;
  if (imported.size === 0 || !process.connected) return;
  process.send({ type: "imported", files: [...imported] });
  imported.clear();
}

// child.ts calls it before reporting `ready` (the symbol is FLUSH_IMPORTS in messages.ts).
globalThis[Symbol.for("tsgi-dev.flushImports")] = flush;

register({
  onImport(url) {
    if (!url.startsWith("file:") || url.includes("/node_modules/")) return;
    imported.add(fileURLToPath(url));
    // One message per burst of imports rather than one per file.
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  },
});

const [childModule] = process.argv.slice(2);
if (!childModule) throw new Error("childBootstrap.mjs needs the child module's path: it is started by tsgi-dev");
await import(pathToFileURL(childModule).href);
