/**
 * The configuration blocks of docs/deploy.md, for whatever runs them (the cluster tests, the demo's
 * `cluster` script): a block marked `<!-- tested: NAME -->` is read from the guide itself and its
 * `{{PLACEHOLDERS}}` filled in, so the guide shows exactly what runs.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's docs/deploy.md. */
export const DEPLOY_GUIDE = join(resolve(dirname(fileURLToPath(import.meta.url)), ".."), "docs", "deploy.md");

/**
 * The `<!-- tested: NAME -->` block of docs/deploy.md with its placeholders replaced; a missing
 * block or value is an error naming it.
 *
 * @example
 * deployBlock("nginx-http", { UPSTREAM_SERVERS: "server 127.0.0.1:8001;", LISTEN: "127.0.0.1:8080", STATIC_ROOT: "/srv/static" });
 */
export function deployBlock(name: string, values: Readonly<Record<string, string>>): string {
  const doc = readFileSync(DEPLOY_GUIDE, "utf8");
  const match = new RegExp(`<!-- tested: ${name} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``).exec(doc);
  if (match === null) throw new Error(`${DEPLOY_GUIDE} has no block marked <!-- tested: ${name} -->`);
  return (match[1] as string).replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`${DEPLOY_GUIDE} block ${name}: no value for {{${key}}}`);
    return value;
  });
}

/** What {@link nginxConf} wraps: the guide's blocks to put in `http { }`, and an access log for diagnosis. */
export interface NginxConfOptions {
  /** The `<!-- tested: NAME -->` blocks, in order (default: `nginx-http`). */
  blocks?: readonly string[];
  /**
   * Write an access log here, one line per request: time, status, the upstream(s) nginx tried and
   * their statuses (`$upstream_addr` / `$upstream_status`, e.g. "10.0.0.2:8000, 10.0.0.6:8000" and
   * "504, 200" for a retried request), so a test can say which instance answered what and when.
   */
  accessLog?: string;
}

/**
 * A whole nginx.conf for an unprivileged, foreground nginx under `prefix` (pid, logs, temp folders
 * there) around the guide's `nginx-http` server (or the `blocks` named): what the tests and the demo run.
 *
 * @example
 * writeFileSync(join(prefix, "nginx.conf"), nginxConf(prefix, { UPSTREAM_SERVERS, LISTEN, STATIC_ROOT }));
 */
export function nginxConf(prefix: string, values: Readonly<Record<string, string>>, options: NginxConfOptions = {}): string {
  // As root, nginx's workers would run as "nobody" and could not write the temp folders in the prefix.
  const user = process.getuid?.() === 0 ? "user root;" : "";
  const log =
    options.accessLog === undefined
      ? "access_log off;"
      : `log_format tsgi_test '$msec $status $request_method $uri "$upstream_addr" "$upstream_status" $request_time';\n  access_log ${options.accessLog} tsgi_test;`;
  const blocks = (options.blocks ?? ["nginx-http"]).map((name) => deployBlock(name, values)).join("\n");
  return `${user}
daemon off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/error.log warn;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  ${log}
  client_body_temp_path ${prefix}/client_body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
${blocks}
}
`;
}
