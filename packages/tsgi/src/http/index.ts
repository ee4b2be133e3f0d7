export { checkRequestHead, type HeadCheckOptions } from "./headChecks.js";
export { headRejection, headRejectionBody, headRejectionBytes, type HeadRejection, type HeadRejectionStatus } from "./headRejection.js";
export {
  resolveHeadLimits,
  InvalidHeadLimitError,
  GUNICORN_HEAD_LIMITS,
  NO_HEAD_LIMITS,
  MAX_REQUEST_LINE,
  MAX_HEADERS,
  DEFAULT_FIELD_SIZE,
  type HeadLimits,
  type HeadLimitOptions,
} from "./headLimits.js";
