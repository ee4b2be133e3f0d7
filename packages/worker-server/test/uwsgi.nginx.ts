/**
 * A real nginx in front of a worker server, for the uwsgi and WebSocket proxy tests: temp prefix,
 * free port, a generated config, stopped by pid.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const NGINX = "/usr/sbin/nginx";

/** A running nginx started by a test. */
export interface Nginx {
  port: number;
  process: ChildProcess;
  prefix: string;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts TCP connections on `port`, or rejects when nginx exits first. */
async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const exited = new Promise<never>((_, reject) => child.once("exit", (code) => reject(new Error(`nginx exited with ${code}`))));
  for (;;) {
    const connected = await Promise.race([
      new Promise<boolean>((resolve) => {
        const socket = net.connect(port, "127.0.0.1");
        socket.once("connect", () => {
          socket.destroy();
          resolve(true);
        });
        socket.once("error", () => resolve(false));
      }),
      exited,
    ]);
    if (connected) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The default `location /` body: uwsgi_pass to the upstream, unbuffered. */
export function uwsgiLocation(upstreamPort: number): string {
  return `include /etc/nginx/uwsgi_params;\n      uwsgi_pass 127.0.0.1:${upstreamPort};\n      uwsgi_buffering off;`;
}

/**
 * Starts nginx on a free 127.0.0.1 port; `location /` proxies everything to `upstreamPort`, with
 * `location` as its body (uwsgi_pass by default; the WebSocket tests give a proxy_pass block).
 */
export async function startNginx(upstreamPort: number, location = uwsgiLocation(upstreamPort)): Promise<Nginx> {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), "tsgi-nginx-"));
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    // As root, nginx's workers would run as "nobody" and could not write the temp dirs in our prefix.
    const user = process.getuid?.() === 0 ? "user root;" : "";
    const conf = `
${user}
daemon off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log info;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${prefix}/client_body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  server {
    listen 127.0.0.1:${port};
    location / {
      ${location}
    }
  }
}
`;
    fs.writeFileSync(path.join(prefix, "nginx.conf"), conf);
    const child = spawn(NGINX, ["-p", prefix, "-c", path.join(prefix, "nginx.conf"), "-e", path.join(prefix, "error.log")], { stdio: "ignore" });
    try {
      await waitForPort(port, child);
      return { port, process: child, prefix };
    } catch (error) {
      // The free port was taken between the probe and nginx's bind: try another.
      if (attempt >= 3) throw new Error(`nginx did not start: ${String(error)}\n${fs.readFileSync(path.join(prefix, "error.log"), "utf8")}`);
    }
  }
}

/** Stops nginx by its pid and removes its temp prefix. */
export async function stopNginx(instance: Nginx): Promise<void> {
  const child = instance.process;
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    child.kill("SIGTERM");
    await exited;
  }
  fs.rmSync(instance.prefix, { recursive: true, force: true });
}

