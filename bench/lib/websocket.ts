import { fork } from "node:child_process";
import { join } from "node:path";
import { APPS } from "./paths.js";
import { freePort, stopProcess, treeMemory, waitForPort, type TreeMemory } from "./processes.js";
import type { ServerSpec } from "./servers.js";

/** How the WebSocket echo scenario loads a server (see apps/ws-load.mjs). */
export interface EchoLoad {
  /** Sockets sending and awaiting echoes, in a loop. */
  connections: number;
  seconds: number;
  warmupSeconds: number;
  /** Sockets opened after the load and held idle while the server's memory is read. */
  idleSockets: number;
  /** Bytes per text message. */
  size: number;
}

/** One server's figures in the WebSocket echo scenario. */
export interface EchoRow {
  server: string;
  baseline: boolean;
  failure?: string;
  messagesPerSecond?: number;
  p50Ms?: number;
  p99Ms?: number;
  errors?: number;
  idle?: TreeMemory;
  /** The server's RSS (master and workers) after the load, before the idle sockets open. */
  afterLoadBytes?: number;
  /** The server's RSS (master and workers) with `idleSockets` open. */
  withSocketsBytes?: number;
  socketsOpen?: number;
}

type ClientReport =
  | { phase: "load"; messages: number; seconds: number; p50Ms: number; p99Ms: number; errors: number }
  | { phase: "idle"; open: number; failed: number }
  | { phase: "failed"; message: string };

/**
 * Loads a started WebSocket echo server from a separate client process (its CPU time is not the
 * server's), then reads the server's memory with `load.idleSockets` sockets held open.
 *
 * @example
 * const row = await measureEcho(server, { connections: 64, seconds: 8, warmupSeconds: 2, idleSockets: 1000, size: 32 });
 */
export async function measureEcho(server: ServerSpec, load: EchoLoad): Promise<EchoRow> {
  const row: EchoRow = { server: server.name, baseline: server.baseline ?? false };
  const port = await freePort();
  const started = server.start(port);
  const pid = started.child.pid as number;
  try {
    await waitForPort(port, started.child);
    await new Promise((r) => setTimeout(r, load.seconds > 2 ? 1500 : 500));
    row.idle = treeMemory(pid);
    const args = ["--url", `ws://127.0.0.1:${port}${server.paths?.websocket ?? "/ws"}`, "--connections", String(load.connections)];
    args.push("--seconds", String(load.seconds), "--warmup", String(load.warmupSeconds), "--idle", String(load.idleSockets), "--size", String(load.size));
    const client = fork(join(APPS, "ws-load.mjs"), args, { stdio: ["ignore", "inherit", "inherit", "ipc"] });
    const exited = new Promise<number | null>((resolve) => client.once("exit", (code) => resolve(code)));
    const timeout = setTimeout(() => client.kill("SIGKILL"), (load.warmupSeconds + load.seconds + 120) * 1000);
    client.on("message", (message: ClientReport) => {
      if (message.phase === "load") {
        row.messagesPerSecond = message.messages / message.seconds;
        row.p50Ms = message.p50Ms;
        row.p99Ms = message.p99Ms;
        row.errors = message.errors;
        row.afterLoadBytes = treeMemory(pid).bytes;
        client.send("idle");
      } else if (message.phase === "idle") {
        row.socketsOpen = message.open;
        row.errors = (row.errors ?? 0) + message.failed;
        row.withSocketsBytes = treeMemory(pid).bytes;
        client.send("close");
      } else {
        row.failure = message.message;
      }
    });
    const code = await exited;
    clearTimeout(timeout);
    if (row.messagesPerSecond === undefined && !row.failure) row.failure = `load client exited with ${code} before reporting`;
  } catch (error) {
    row.failure = (error as Error).message;
    console.log(`  failed to start: ${row.failure}\n${started.output()}`);
  } finally {
    await stopProcess(started);
  }
  console.log(
    row.failure
      ? `  websocket    failed: ${row.failure}`
      : `  websocket    ${Math.round(row.messagesPerSecond ?? 0)} messages/s, ${row.errors} errors, ${mib(row.withSocketsBytes)} MiB with ${row.socketsOpen} sockets open`,
  );
  return row;
}

const mib = (bytes?: number) => (bytes === undefined ? "–" : (bytes / 1024 / 1024).toFixed(0));
const fixed = (n: number | undefined, digits = 0) => (n === undefined || Number.isNaN(n) ? "–" : n.toFixed(digits));

/** The scenario's Markdown table: messages/s with the ratio to the baseline, and memory with the idle sockets open. */
export function echoTable(title: string, rows: EchoRow[], load: EchoLoad): string {
  const baseline = rows.find((r) => r.baseline)?.messagesPerSecond;
  const lines = [
    `### ${title}`,
    "",
    `${load.connections} sockets each sending a ${load.size}-byte text message and awaiting its echo, in a loop, from a separate Node process (\`ws\` client); then ${load.idleSockets} idle sockets (each checked with one echo) held open while the server's memory is read; KiB per socket is the growth over the RSS after the load.`,
    "",
    `| server | messages/s | vs ws on node:http cluster | p50 ms | p99 ms | errors | RSS idle MiB | RSS after load MiB | RSS with ${load.idleSockets} sockets MiB | KiB per socket | processes |`,
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const row of rows) {
    if (row.failure || row.messagesPerSecond === undefined) {
      lines.push(`| ${row.server} | failed: ${(row.failure ?? "?").replace(/\|/g, "\\|").replace(/\s+/g, " ")} | | | | | | | | | |`);
      continue;
    }
    const ratio = baseline ? `${(row.messagesPerSecond / baseline).toFixed(2)}x` : "–";
    const perSocket = row.withSocketsBytes !== undefined && row.afterLoadBytes !== undefined && row.socketsOpen ? (row.withSocketsBytes - row.afterLoadBytes) / 1024 / row.socketsOpen : undefined;
    const name = row.baseline ? `**${row.server}**` : row.server;
    lines.push(
      `| ${name} | ${fixed(row.messagesPerSecond)} | ${ratio} | ${fixed(row.p50Ms, 2)} | ${fixed(row.p99Ms, 2)} | ${row.errors ?? 0} | ${mib(row.idle?.bytes)} | ${mib(row.afterLoadBytes)} | ${mib(row.withSocketsBytes)} | ${fixed(perSocket, 1)} | ${row.idle?.processes ?? "–"} |`,
    );
  }
  return lines.join("\n");
}
