import type { ConnectionInfo } from "tsgi";
import { ContradictorySchemeHeadersError, proxyHeadersOf, resolveClientOrigin } from "../../proxy/forwarded.js";
import type { IpAllowList } from "../../proxy/ipAllowList.js";
import { reject, type Rejection } from "../rejection.js";

/**
 * The connection facts of one request from a trusted peer: its `X-Forwarded-*` / `Forwarded`
 * headers, if any, give the client's address and scheme (Gunicorn's `--forwarded-allow-ips`).
 * Returns `info` itself when the request carries none, and a 400 rejection for scheme headers
 * that contradict each other.
 *
 * @example
 * const facts = requestConnectionInfo(info, head.rawHeaders, trusted);
 * if ("code" in facts) return refuse(facts);
 */
export function requestConnectionInfo(info: ConnectionInfo, rawHeaders: readonly string[], trusted: IpAllowList): ConnectionInfo | Rejection {
  const proxyHeaders = proxyHeadersOf(rawHeaders);
  if (proxyHeaders === undefined) return info;
  let origin;
  try {
    origin = resolveClientOrigin(info.remoteAddress, proxyHeaders, trusted);
  } catch (error) {
    if (!(error instanceof ContradictorySchemeHeadersError)) throw error;
    return reject(400, error.message);
  }
  if (origin === undefined) return info;
  return {
    ...info,
    ...(origin.remoteAddr !== undefined ? { remoteAddress: origin.remoteAddr, remotePort: origin.remotePort } : {}),
    ...(origin.scheme !== undefined ? { scheme: origin.scheme } : {}),
  };
}
