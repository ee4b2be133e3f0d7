/**
 * The request-vector table of tsgi/conformance against the real `tsgi-worker` process tree
 * (master + workers loading the vector app by path), with 1 and with 4 workers, at its default limits.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ASSEMBLER_PROBE_KEY,
  REQUEST_VECTOR_APP_MODULE,
  REQUEST_VECTOR_TOKEN_ENV,
  RawConnection,
  assemblerProbeEnvironment,
  createLedgerToken,
  parseReport,
  readProbeEvents,
  removeLedger,
  runRequestVectors,
} from "tsgi/conformance";
import { encodeUwsgiPacket } from "../src/connection/uwsgi/packet.js";
import { startMaster, type MasterProcess } from "./fixtures/master.js";


for (const workers of [1, 4]) {
  runRequestVectors({
    name: `tsgi-worker -w ${workers}`,
    // Every served environ must carry the probed assembler's key: built through assembleEnviron.
    assemblerProbe: true,
    // Added through assembleEnviron's serverKeys, as Gunicorn sets them.
    serverKeys: ["RAW_URI", "REQUEST_URI"],
    async start(_app, { appModule, env }) {
      const master: MasterProcess = startMaster(["-b", "127.0.0.1:0", "-w", String(workers), appModule], { env });
      const url = await master.url();
      await master.waitForCount(/Worker ready/, workers);
      return {
        url,
        async close() {
          master.signal("SIGTERM");
          await master.exited;
          await master.cleanup();
        },
      };
    },
  });
}

/**
 * The worker's other front door: a uwsgi packet from nginx. The request vectors speak HTTP, so
 * this checks the one thing they cannot reach: the environ built from uwsgi variables comes
 * from assembleEnviron too (the assembler probe's key is on it).
 */
describe("tsgi-worker --protocol uwsgi builds its environ through assembleEnviron", () => {
  const ledgerToken = createLedgerToken();
  const marker = `uwsgi-${ledgerToken}`;
  let master: MasterProcess | undefined;
  let origin = "";

  beforeAll(async () => {
    master = startMaster(["--protocol", "uwsgi", "-b", "127.0.0.1:0", "-w", "1", REQUEST_VECTOR_APP_MODULE], {
      env: { [REQUEST_VECTOR_TOKEN_ENV]: ledgerToken, ...assemblerProbeEnvironment(marker) },
    });
    const banner = await master.waitFor(/Listening at: \S+?:\/\/(\S+)/);
    origin = `http://${banner[1] as string}`;
    await master.waitForCount(/Worker ready/, 1);
  }, 120_000);
  afterAll(async () => {
    removeLedger(ledgerToken);
    if (!master) return;
    master.signal("SIGTERM");
    await master.exited;
    await master.cleanup();
  }, 120_000);

  it("a uwsgi request's environ carries the probed assembler's key", async () => {
    const connection = await RawConnection.open(origin, { timeoutMs: 15_000 });
    try {
      await connection.send(
        encodeUwsgiPacket({
          REQUEST_METHOD: "GET",
          REQUEST_URI: "/via-uwsgi?x=1",
          PATH_INFO: "/via-uwsgi",
          QUERY_STRING: "x=1",
          SERVER_PROTOCOL: "HTTP/1.1",
          SERVER_NAME: "example.com",
          SERVER_PORT: "80",
          REMOTE_ADDR: "10.0.0.9",
          REMOTE_PORT: "40000",
          HTTP_HOST: "example.com",
        }),
      );
      const response = await connection.readResponse();
      const report = parseReport(response);
      expect(report?.environ).toMatchObject({ PATH_INFO: "/via-uwsgi", QUERY_STRING: "x=1", REMOTE_ADDR: "10.0.0.9", [ASSEMBLER_PROBE_KEY]: marker });
      expect(readProbeEvents(ledgerToken)).toEqual(["call"]);
    } finally {
      connection.close();
    }
  }, 60_000);
});
