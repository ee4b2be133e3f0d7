/**
 * A test host: a network namespace joined to this machine by a veth pair, addresses in a private
 * range the test picks (10.<200-249>.<n>.0/30), so an instance behind nginx has its own network link
 * that a test can cut. Created with `ip netns` / `ip link` (Debian's iproute2; needs CAP_NET_ADMIN),
 * removed in teardown. Unix sockets (PostgreSQL's, Redis's) are files, so they reach across.
 */
import { spawnSync } from "node:child_process";

function ip(args: string[]): void {
  const result = spawnSync("ip", args, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`ip ${args.join(" ")} failed: ${result.stderr || result.error?.message}`);
}

/** Why network namespaces cannot be used here (then the tests fall back to ports on 127.0.0.1), or undefined. */
export function netnsUnavailable(): string | undefined {
  const name = `tsgi-probe-${process.pid}`;
  const added = spawnSync("ip", ["netns", "add", name], { encoding: "utf8" });
  if (added.status !== 0) return `ip netns does not work here (${(added.stderr || added.error?.message || "").trim()}); needs iproute2 and CAP_NET_ADMIN`;
  spawnSync("ip", ["netns", "del", name]);
  return undefined;
}

/** One namespace with its veth link; the host side is `hostAddress`, the namespace side `address`. */
export class TestHost {
  readonly namespace: string;
  readonly address: string;
  readonly hostAddress: string;
  readonly #outside: string;
  readonly #inside: string;

  constructor(index: number) {
    const tag = `${process.pid % 10000}x${index}`;
    this.namespace = `tsgi-${tag}`;
    this.#outside = `tsgo${tag}`.slice(0, 15);
    this.#inside = `tsgi${tag}`.slice(0, 15);
    const net = `10.${200 + (process.pid % 50)}.${index}`;
    this.hostAddress = `${net}.1`;
    this.address = `${net}.2`;
  }

  /** Creates the namespace and its link, up. */
  create(): void {
    ip(["netns", "add", this.namespace]);
    try {
      ip(["link", "add", this.#outside, "type", "veth", "peer", "name", this.#inside]);
      ip(["link", "set", this.#inside, "netns", this.namespace]);
      ip(["addr", "add", `${this.hostAddress}/30`, "dev", this.#outside]);
      ip(["link", "set", this.#outside, "up"]);
      ip(["netns", "exec", this.namespace, "ip", "addr", "add", `${this.address}/30`, "dev", this.#inside]);
      ip(["netns", "exec", this.namespace, "ip", "link", "set", this.#inside, "up"]);
      ip(["netns", "exec", this.namespace, "ip", "link", "set", "lo", "up"]);
    } catch (error) {
      this.destroy();
      throw error;
    }
  }

  /** The command prefix that runs a program inside the namespace. */
  exec(command: string, args: string[]): [string, string[]] {
    return ["ip", ["netns", "exec", this.namespace, command, ...args]];
  }

  /**
   * Cuts the link at the test host's end (the cable pulled at the machine): this side keeps its
   * route to the host (marked linkdown), so packets to it are dropped and a connect waits for its
   * timeout, as on a real network. Taking this side's end down instead would remove that route and
   * send the packets to the default gateway, which in some sandboxes answers any address itself
   * (an HTTP 404 from the sandbox's egress proxy was what the earlier link-cut runs counted).
   */
  linkDown(): void {
    ip(["netns", "exec", this.namespace, "ip", "link", "set", this.#inside, "down"]);
  }

  linkUp(): void {
    ip(["netns", "exec", this.namespace, "ip", "link", "set", this.#inside, "up"]);
  }

  /** Removes the link and the namespace (processes inside must be stopped first). */
  destroy(): void {
    spawnSync("ip", ["link", "del", this.#outside]);
    spawnSync("ip", ["netns", "del", this.namespace]);
  }
}
