const TYPESCRIPT_FILE = /\.(?:ts|mts|cts|tsx)$/;

/** True when this server runs from its TypeScript sources (the workspace), which tsx already loads. */
export const RUNNING_FROM_SOURCE = TYPESCRIPT_FILE.test(new URL(import.meta.url).pathname);

let registered = RUNNING_FROM_SOURCE;

/**
 * Makes `import()` of TypeScript files work, once, when it is needed. From the published package
 * (compiled JavaScript) a JavaScript app runs without tsx: its loader thread and esbuild service
 * cost about 38 MiB per process, more than half of a worker's memory.
 *
 * @example
 * if (isTypeScriptFile(file)) await ensureTypeScriptLoader();
 * await import(pathToFileURL(file).href);
 */
export async function ensureTypeScriptLoader(): Promise<void> {
  if (registered) return;
  // Imported here so a JavaScript app never loads tsx at all.
  const { register } = await import("tsx/esm/api");
  register();
  registered = true;
}

/** True for `.ts`, `.mts`, `.cts` and `.tsx` files. */
export function isTypeScriptFile(file: string): boolean {
  return TYPESCRIPT_FILE.test(file);
}
