/**
 * The request-head parser and chunked decoder the engine uses (contract C), from ./parser/.
 * The engine imports them from here only, so the parser stays one swappable module.
 */
export { parseHead, HeadReader, ChunkedDecoder, ChunkedBodyError, type HeadParse, type ParsedHead, type ParserLimits } from "./parser/index.js";
