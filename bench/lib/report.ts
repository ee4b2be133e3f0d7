import type { LoadResult } from "./wrk.js";

/** One server's figures in one scenario. */
export interface Row {
  server: string;
  baseline: boolean;
  result?: LoadResult;
  failure?: string;
  idleRssBytes?: number;
  loadRssBytes?: number;
  workers: number;
  /** Processes in the server's tree when idle (master included). */
  processes?: number;
  /** Mean idle RSS of one worker process (the master left out), from `rssPerWorker`. */
  workerRssBytes?: number;
  /** The other Node that ran this row (`--node 24`); its ratio is to that Node's node:http cluster. */
  runtime?: string;
}

const mib = (bytes?: number) => (bytes === undefined ? "–" : (bytes / 1024 / 1024).toFixed(0));
const escapeCell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s+/g, " ");
const fixed = (n: number | undefined, digits = 0) => (n === undefined || Number.isNaN(n) ? "–" : n.toFixed(digits));

/**
 * A Markdown table of one scenario, each row with its ratio to the baseline's requests/s; a row
 * run by another Node (`runtime`) is compared with that Node's node:http cluster row, when there is one.
 */
export function scenarioTable(title: string, rows: Row[], baselineRps: number | undefined): string {
  const sameRuntimeBaseline = (row: Row) =>
    row.runtime === undefined ? baselineRps : (rows.find((r) => r.runtime === row.runtime && r.server.startsWith("node:http cluster"))?.result?.requestsPerSecond ?? baselineRps);
  const lines = [
    `### ${title}`,
    "",
    "| server | req/s | vs node:http cluster | p50 ms | p99 ms | errors | RSS idle MiB | RSS load MiB | processes | RSS/worker idle MiB |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const row of rows) {
    if (!row.result) {
      lines.push(`| ${row.server} | failed: ${escapeCell(row.failure ?? "?")} | | | | | | | | |`);
      continue;
    }
    const r = row.result;
    const baseline = sameRuntimeBaseline(row);
    const ratio = baseline ? `${(r.requestsPerSecond / baseline).toFixed(2)}x` : "–";
    lines.push(
      `| ${row.baseline ? `**${row.server}**` : row.server} | ${fixed(r.requestsPerSecond)} | ${ratio} | ${fixed(r.p50Ms, 2)} | ${fixed(r.p99Ms, 2)} | ${r.errors} | ${mib(row.idleRssBytes)} | ${mib(row.loadRssBytes)} | ${row.processes ?? "–"} | ${mib(row.workerRssBytes)} |`,
    );
  }
  return lines.join("\n");
}

/** One bar of a chart. */
export interface Bar {
  label: string;
  value: number;
  baseline: boolean;
}

/** A horizontal bar chart (SVG) of requests/s per server for one scenario. */
export function barChartSvg(title: string, rows: Row[]): string {
  return barsSvg(title, rows.filter((r) => r.result).map((r) => ({ label: r.server, value: r.result?.requestsPerSecond ?? 0, baseline: r.baseline })));
}

/**
 * A horizontal bar chart (SVG) of one figure per server, `unit` naming it (higher is better).
 *
 * @example
 * barsSvg("WebSocket echo", [{ label: "tsgi-worker", value: 41000, baseline: false }], "messages/s");
 */
export function barsSvg(title: string, data: Bar[], unit = "requests/s"): string {
  const max = Math.max(1, ...data.map((d) => d.value));
  const barHeight = 22;
  const labelWidth = 260;
  const chartWidth = 420;
  const height = 40 + data.length * (barHeight + 6);
  const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const bars = data
    .map((d, i) => {
      const y = 30 + i * (barHeight + 6);
      const w = Math.max(1, (d.value / max) * chartWidth);
      const color = d.label.startsWith("tsgi") ? "#2f7ed8" : d.baseline ? "#555" : "#9aa5b1";
      return `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end" font-size="12">${escape(d.label)}</text>
<rect x="${labelWidth}" y="${y}" width="${w.toFixed(1)}" height="${barHeight}" fill="${color}"/>
<text x="${labelWidth + w + 6}" y="${y + 15}" font-size="12">${Math.round(d.value)}</text>`;
    })
    .join("\n");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${labelWidth + chartWidth + 90}" height="${height}" font-family="sans-serif">
<text x="10" y="18" font-size="14" font-weight="bold">${escape(title)} (${unit}, higher is better)</text>
${bars}
</svg>
`;
}
