// pooledApp.ts
import { createServer } from "tsgi/node";
import { startLifespan, withLifespan, type Application, type LifespanState } from "tsgi";

interface Pool { query(sql: string): Promise<number>; end(): Promise<void> }

async function openPool(): Promise<Pool> {
  let open = true;
  return { query: async () => (open ? 42 : Promise.reject(new Error("pool closed"))), end: async () => void (open = false) };
}

function poolOf(state: LifespanState | undefined): Pool {
  const pool = state?.pool;
  if (pool === undefined) throw new Error("no pool: is the server running the app's lifespan?");
  return pool as Pool;
}

const handler: Application = async (environ, startResponse) => {
  const answer = await poolOf(environ["tsgi.state"]).query("select 42");
  startResponse("200 OK", [["Content-Type", "text/plain; charset=utf-8"]]);
  return [new TextEncoder().encode(`answer: ${answer}\n`)];
};

export const app = withLifespan(handler, {
  async startup(state) {
    state.pool = await openPool(); // before the first request of this process
  },
  async shutdown(state) {
    await poolOf(state).end(); // after the last request of this process
  },
});

// What each server does (tsgi-dev and tsgi-worker do it for `tsgi-worker pooledApp.ts:app`):
if (process.argv[1]?.endsWith("pooledApp.ts")) {
  const lifespan = await startLifespan(app, { startupTimeout: 10_000 }); // throws: boot failure
  const server = createServer(app, { state: lifespan.state }).listen(8000);
  process.once("SIGTERM", () => server.close(() => void lifespan.shutdown().finally(() => process.exit(0))));
}
