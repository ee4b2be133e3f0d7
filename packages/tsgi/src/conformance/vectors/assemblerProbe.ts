/**
 * The assembler probe: proof that a server builds every environ through tsgi's
 * `assembleEnviron` and nothing else. A server started with {@link assemblerProbeEnvironment}
 * loads the assembler module with one line added, which sets {@link ASSEMBLER_PROBE_KEY} on
 * every environ it returns. No server code changes; an environ built or rebuilt anywhere
 * else lacks the key (the request-vector runner checks it on every served request).
 *
 * How: a Node module-customization hook (`module.register`, given to every process of the
 * server through `NODE_OPTIONS=--import`), which rewrites the source of
 * `tsgi/{src,dist}/environ/assembleEnviron.{ts,js}` when it is loaded, before or after tsx
 * compiles it. If that module no longer declares `export function assembleEnviron(`, loading
 * it fails, so the probe can never pass by finding nothing to change.
 */

/** The environ key the probed assembler adds. */
export const ASSEMBLER_PROBE_KEY = "conformance.assembler_probe";

/** The module whose loading the probe rewrites (workspace sources or the published build). */
const ASSEMBLER_PATH = String.raw`/tsgi/(?:src|dist)/environ/assembleEnviron\.(?:ts|js)$`;

function hooksSource(marker: string): string {
  return `
const target = new RegExp(${JSON.stringify(ASSEMBLER_PATH)});
export async function load(url, context, nextLoad) {
  const result = await nextLoad(url, context);
  if (!url.startsWith("file:") || !target.test(new URL(url).pathname) || result.source == null) return result;
  const source = typeof result.source === "string" ? result.source : new TextDecoder().decode(result.source);
  const renamed = source.replace("export function assembleEnviron(", "function assembleEnviron__unprobed(");
  if (renamed === source) throw new Error("assembler probe: " + url + " does not declare export function assembleEnviron(");
  return {
    ...result,
    source: renamed + "\\nexport function assembleEnviron(...args) { const environ = assembleEnviron__unprobed(...args); " +
      "environ[" + ${JSON.stringify(JSON.stringify(ASSEMBLER_PROBE_KEY))} + "] = " + ${JSON.stringify(JSON.stringify(marker))} + "; return environ; }\\n",
  };
}
`;
}

/** A `data:` URL of a module; every byte but letters and digits percent-encoded, so it survives NODE_OPTIONS' word splitting. */
function dataUrl(source: string): string {
  const encoded = Array.from(new TextEncoder().encode(source), (byte) =>
    /[A-Za-z0-9]/.test(String.fromCharCode(byte)) ? String.fromCharCode(byte) : `%${byte.toString(16).padStart(2, "0")}`,
  ).join("");
  return `data:text/javascript,${encoded}`;
}

/**
 * Environment variables that start a server (and every process it forks) with the
 * probed assembler, which sets `environ[ASSEMBLER_PROBE_KEY] = marker`.
 *
 * @example
 * spawn(process.execPath, ["bin/tsgi-worker.js", "app.ts"], { env: { ...process.env, ...assemblerProbeEnvironment("m-1") } });
 * // every environ the app sees has environ["conformance.assembler_probe"] === "m-1"
 */
export function assemblerProbeEnvironment(marker: string, nodeOptions = process.env.NODE_OPTIONS ?? ""): { NODE_OPTIONS: string } {
  const registrar = `import { register } from "node:module"; register(${JSON.stringify(dataUrl(hooksSource(marker)))});`;
  return { NODE_OPTIONS: `${nodeOptions} --import=${dataUrl(registrar)}`.trim() };
}
