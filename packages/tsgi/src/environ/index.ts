export { assembleEnviron, isAssemblerKey } from "./assembleEnviron.js";
export type { RequestHead, ConnectionInfo, EnvironSettings, RequestExtensions } from "./types.js";
export { ReservedEnvironKeyError } from "./errors.js";
export { splitScriptName } from "./scriptName.js";
export { splitHostPort, targetAuthority, type HostAndPort, type TargetAuthority } from "./authority.js";
