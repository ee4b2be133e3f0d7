/**
 * Splits a decoded path at the mount point, as CGI's SCRIPT_NAME/PATH_INFO do.
 * A path outside the mount point stays whole in `pathInfo`.
 *
 * @example
 * splitScriptName("/blog/posts", "/blog"); // { scriptName: "/blog", pathInfo: "/posts" }
 */
export function splitScriptName(path: string, scriptName: string): { scriptName: string; pathInfo: string } {
  if (scriptName === "") return { scriptName: "", pathInfo: path };
  const mount = scriptName.endsWith("/") ? scriptName.slice(0, -1) : scriptName;
  if (mount !== "" && (path === mount || path.startsWith(mount + "/"))) {
    return { scriptName: mount, pathInfo: path.slice(mount.length) };
  }
  return { scriptName: "", pathInfo: path };
}
