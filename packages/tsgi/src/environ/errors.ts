/**
 * Thrown when a server's `serverKeys` would replace a key the environ assembler owns
 * (a CGI default, `REMOTE_*`, an `HTTP_*` header key or a `tsgi.*` key).
 */
export class ReservedEnvironKeyError extends Error {
  readonly key: string;

  constructor(key: string) {
    super(
      `serverKeys may not set ${JSON.stringify(key)}: assembleEnviron owns it. ` +
        (key.startsWith("tsgi.")
          ? `Put a server's own key under its own prefix (e.g. "myserver.${key.slice(5)}").`
          : key.startsWith("HTTP_") || key === "CONTENT_TYPE" || key === "CONTENT_LENGTH"
            ? "Header keys come from RequestHead.rawHeaders: pass the header there."
            : "Pass the fact through RequestHead, ConnectionInfo or EnvironSettings instead (e.g. ConnectionInfo.remoteAddress, .scheme, .serverName)."),
    );
    this.name = "ReservedEnvironKeyError";
    this.key = key;
  }
}
