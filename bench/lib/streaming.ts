import { request } from "node:http";
import { INSTALLED, PROD_DIR } from "./paths.js";
import { freePort, sampleRss, startProcess, stopProcess, treeRss, waitForPort } from "./processes.js";

const MIB = Buffer.alloc(1024 * 1024, 0x7a);

function download(port: number, mib: number): Promise<number> {
  return new Promise((resolve, reject) => {
    request({ host: "127.0.0.1", port, path: `/big?mib=${mib}` }, (res) => {
      let bytes = 0;
      res.on("data", (chunk: Buffer) => (bytes += chunk.length));
      res.on("end", () => resolve(bytes));
      res.on("error", reject);
    })
      .on("error", reject)
      .end();
  });
}

function upload(port: number, mib: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: "/sink", method: "POST", headers: { "Content-Length": String(mib * MIB.length) } }, (res) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => resolve(text));
    });
    req.on("error", reject);
    let sent = 0;
    const pump = () => {
      while (sent < mib) {
        sent++;
        if (!req.write(MIB)) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

/**
 * Streams `mib` MiB down from and up to a 1-worker tsgi-worker (the installed package
 * serving the compiled app: call prepareInstalledTsgi() first) while sampling the
 * server's RSS, and reports the peaks: a flat RSS shows nothing is buffered whole.
 */
export async function runStreamingCheck(mib: number): Promise<string> {
  const port = await freePort();
  const started = startProcess(process.execPath, [INSTALLED.workerBin, "-w", "1", "-b", `127.0.0.1:${port}`, INSTALLED.helloApp], { cwd: PROD_DIR });
  const pid = started.child.pid as number;
  const lines = [`### Streaming ${mib} MiB through tsgi-worker (1 worker)`, "", "| direction | MiB/s | peak RSS MiB (master + worker) |", "|---|---:|---:|"];
  try {
    await waitForPort(port, started.child);
    await new Promise((r) => setTimeout(r, 1000));
    const idle = treeRss(pid);
    for (const [direction, run] of [
      ["response (download)", () => download(port, mib)],
      ["request body (upload)", () => upload(port, mib)],
    ] as const) {
      const sampler = sampleRss(pid, 100);
      const t0 = performance.now();
      const outcome = await run();
      const seconds = (performance.now() - t0) / 1000;
      const peak = sampler.stop();
      const ok = direction.startsWith("response") ? outcome === mib * MIB.length : outcome === String(mib * MIB.length);
      lines.push(`| ${direction}${ok ? "" : " (INCOMPLETE)"} | ${(mib / seconds).toFixed(0)} | ${(peak / 1048576).toFixed(0)} |`);
      console.log(`  streaming ${direction}: ${(mib / seconds).toFixed(0)} MiB/s, peak RSS ${(peak / 1048576).toFixed(0)} MiB`);
    }
    lines.push("", `Idle RSS before the transfers: ${(idle / 1048576).toFixed(0)} MiB.`);
  } catch (error) {
    lines.push(`| failed | ${(error as Error).message} | |`);
  } finally {
    await stopProcess(started);
  }
  return lines.join("\n");
}
