import type { Application, Environ } from "tsgi";

/**
 * The demo app, as wsgiref's `demo_app`: "Hello world!" and then every environ key, sorted,
 * one `KEY = value` line each. Handy to see exactly what a server passes to apps.
 *
 * @example
 * const server = await makeServer("127.0.0.1", 8000, demoApp);
 * await server.serveForever();
 */
export const demoApp: Application = (environ, startResponse) => {
  const lines = ["Hello world!", ""];
  for (const key of Object.keys(environ).sort()) lines.push(`${key} = ${describeEnvironValue(environ[key])}`);
  startResponse("200 OK", [["Content-Type", "text/plain; charset=utf-8"]]);
  return [new TextEncoder().encode(lines.join("\n") + "\n")];
};

/** One environ value as a readable line: strings quoted, objects by their class. */
export function describeEnvironValue(value: Environ[string]): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `[${value.map((item) => describeEnvironValue(item)).join(", ")}]`;
  if (typeof value === "function") return `<function ${value.name || "anonymous"}>`;
  const name = (value as { constructor?: { name?: string } }).constructor?.name;
  return `<${name && name !== "Object" ? name : "object"}>`;
}
