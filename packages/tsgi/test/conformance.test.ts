import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { startLifespan, type ErrorStream } from "tsgi";
import { attachWebSocket, createServer, toNodeListener } from "tsgi/node";
import { runConformance, type RunningServer } from "tsgi/conformance";

// Probe failures are deliberate; keep their stack traces out of the test output.
const errors: ErrorStream = { write() {}, writelines() {}, flush() {} };

async function listen(server: Server): Promise<RunningServer> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** The reference run: `createServer` from tsgi/node (a node:http server with request and checkContinue wired). */
runConformance({
  name: "tsgi/node createServer",
  // As SPEC.md's lifespan example does: start-up before listening, its state in every environ.
  start: async (app, { scriptName }) => listen(createServer(app, { scriptName, errors, state: (await startLifespan(app)).state })),
  capabilities: { scriptName: true, websocket: true, lifespan: true },
});

/** The same listener mounted by hand on a plain node:http server, as Express or Fastify users do. */
runConformance({
  name: "toNodeListener on http.createServer",
  start(app, { scriptName }) {
    const listener = toNodeListener(app, { scriptName, errors });
    const server = createHttpServer((req, res) => void listener(req, res));
    server.on("checkContinue", (req, res) => void listener(req, res));
    // WebSocket beside it, as an Express or Fastify user adds it; a 32 MiB limit takes the 16 MiB message whole.
    attachWebSocket(server, app, { scriptName, errors, maxMessageSize: 32 * 1024 * 1024 });
    return listen(server);
  },
  capabilities: { scriptName: true, websocket: true },
});
