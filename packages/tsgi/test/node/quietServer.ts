import type { AddressInfo } from "node:net";
import type { Application, ErrorStream } from "../../src/index.js";
import { createServer } from "../../src/node/index.js";

const quiet: ErrorStream = { write() {}, writelines() {}, flush() {} };

/** Serves `app` on 127.0.0.1, port 0, with the app errors a test provokes kept off the console. */
export async function startQuietServer(app: Application): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(app, { errors: quiet, onError: () => {} });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
