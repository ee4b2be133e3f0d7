/**
 * The demo behind a CGI runner, as Apache's mod_cgi would run it: tsgi's
 * `serveCgi` starts `src/cgi.ts` (the app through `runWithCgi`) once per request.
 *
 *   node --import tsx apps/demo/src/serve-cgi.ts      # http://127.0.0.1:8000 (PORT=... to change)
 */
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { fileURLToPath, pathToFileURL } from "node:url";
import { serveCgi } from "tsgi";

const script = fileURLToPath(new URL("./cgi.ts", import.meta.url));
// The script is TypeScript: node runs it with the same tsx loader this runner was started with.
const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
const server = serveCgi([process.execPath, "--import", tsx, script], {
  // A CGI script sees only what the runner passes on: the usual variables plus the demo's settings.
  inheritEnv: ["PATH", "HOME", "LANG", "TZ", "TMPDIR", "DEMO_DATA_DIR", "SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"],
});

server.listen(Number(process.env.PORT ?? 8000), process.env.HOST ?? "127.0.0.1", () => {
  const { address, port } = server.address() as AddressInfo;
  console.log(`CGI runner: src/cgi.ts once per request on http://${address}:${port}`);
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}
