/** CGI (RFC 3875): run an app as a CGI script, and a small runner that serves CGI scripts over HTTP. */
export { environFromCgi, type CgiEnvironSources } from "./cgiEnviron.js";
export { requestFromCgiVariables, type CgiRequest } from "./cgiVariables.js";
export { CgiResponseHeadParser, type CgiResponseHead } from "./cgiResponseHead.js";
export { createCgiHandler, serveCgi, type CgiCommand, type CgiRunnerOptions, type CgiScriptExit } from "./cgiRunner.js";
export { CgiEnvironmentError, CgiRequestError, CgiResponseError } from "./errors.js";
export { cgiMetaVariables, type MetaVariableOptions } from "./metaVariables.js";
export { cgiModuleCommand, type CgiModuleCommandOptions } from "./moduleCommand.js";
export { runWithCgi, type RunWithCgiOptions } from "./runWithCgi.js";
export { CgiOutputSink } from "./stdoutSink.js";
