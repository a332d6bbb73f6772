export {
  GraphClient,
  withQuery,
  withPrefer,
  CALENDAR_READ_PREFER,
  DEFAULT_MAX_RETRIES,
  DEFAULT_RETRY_BASE_DELAY_MS,
  DEFAULT_TIMEOUT_MS,
} from './lib/graph-client';
export {
  GraphApiError,
  classifyGraphError,
  contractFor,
  graphErrorCode,
  GraphTimeoutError,
  NETWORK_ERROR_STATUS,
} from './lib/errors';
export type { GraphErrorKind, GraphContractCode, GraphApiErrorInit } from './lib/errors';
export type {
  GraphClientOptions,
  GraphTelemetry,
  TokenContext,
  RequestOptions,
  WriteOptions,
  PageOptions,
  BatchItem,
  BatchResult,
  BatchOptions,
  CalendarViewOptions,
  UsersOptions,
} from './lib/options';
export type * from './lib/models';
export { parseGraphUtc, parseRetryAfter, backoffDelay } from './lib/time';
export { mailboxFromPath, GraphCallContext } from './lib/middleware/call-context';
export { isRetryable } from './lib/middleware/retry.middleware';
export { throttleScope } from './lib/middleware/rate-limit.middleware';
export { MAX_BATCH_SIZE } from './lib/batch';
export { htmlToText } from './lib/body-text';
export { nodeFetch, BufferedResponse, type NodeFetchOptions } from './lib/node-fetch';
export { OFFICE_HOURS_PROPERTY_ID, OFFICE_HOURS_CATEGORY, OFFICE_HOURS_EXPAND, isOfficeHoursEvent, canEditEvent } from './lib/office-hours';
