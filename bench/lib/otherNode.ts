import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { installedIn, type InstalledPaths } from "./paths.js";

/** Another Node to run the framework rows on (`pnpm bench --node 24`), with its own install of the packages. */
export interface OtherNode {
  /** The node binary. */
  bin: string;
  /** Its name in the rows, e.g. "Node 24". */
  label: string;
  /** Its full version, e.g. "v24.21.0". */
  version: string;
  /** The install folder made for it (`prepareInstalledTsgi({ node: bin, dir })`). */
  installed: InstalledPaths;
}

/** `--node` named no usable Node: says what was tried. */
export class OtherNodeError extends Error {
  override name = "OtherNodeError";
}

/**
 * Finds the Node named by `--node` (or BENCH_NODE): a major version such as `24`, fetched once
 * with npm's own client (`npx -p node@24`, cached by npm afterwards), or a path to a node binary.
 *
 * @example
 * const node24 = otherNode("24", OTHER_NODE_PROD_DIR); // { bin: "/root/.npm/_npx/.../node", label: "Node 24", ... }
 */
export function otherNode(spec: string, dir: string): OtherNode {
  let bin = spec;
  if (/^\d+$/.test(spec)) {
    const found = spawnSync("npx", ["-y", "-p", `node@${spec}`, "node", "-e", "process.stdout.write(process.execPath)"], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    if (found.status !== 0 || !found.stdout) throw new OtherNodeError(`could not get Node ${spec} with \`npx -p node@${spec}\`: ${found.stderr.trim().split("\n").slice(-3).join(" ")}; pass --node /path/to/node instead`);
    bin = found.stdout.trim();
  }
  if (!existsSync(bin)) throw new OtherNodeError(`--node ${spec}: no such file ${bin}; pass a major version (24) or the path of a node binary`);
  const version = spawnSync(bin, ["-v"], { encoding: "utf8" }).stdout.trim();
  if (!/^v\d+\./.test(version)) throw new OtherNodeError(`--node ${spec}: ${bin} -v answered "${version}", not a Node version`);
  return { bin, label: `Node ${version.slice(1).split(".")[0]}`, version, installed: installedIn(dir) };
}

/**
 * True when the other Node loads the better-sqlite3 of its install. Not always: node-gyp builds
 * against the headers of npm's `nodedir` (Debian's npm sets /usr, Node 20's headers), and with no
 * network it can fetch neither a prebuilt binary nor Node 24's headers.
 *
 * @example
 * if (!sqliteLoads(node24)) console.log("framework-db skipped on Node 24");
 */
export function sqliteLoads(other: OtherNode): boolean {
  const module = join(other.installed.dir, "node_modules/better-sqlite3");
  const check = `new (require(${JSON.stringify(module)}))(":memory:").close()`;
  return spawnSync(other.bin, ["-e", check], { stdio: "ignore" }).status === 0;
}
