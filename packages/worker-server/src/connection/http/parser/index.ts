export { parseHead } from "./parseHead.js";
export { HeadReader } from "./headReader.js";
export { ChunkedDecoder, ChunkedBodyError, type ChunkedDecodeResult } from "./chunkedDecoder.js";
export type { BodyFraming, HeadParse, ParsedHead, ParserLimits } from "./types.js";
