export type { CairnServer, CreateServerOptions, ServerAddresses } from './cairn-server.js';
export { createServer } from './cairn-server.js';
export type { ServerConfig } from './server-config.js';
export type { RetentionPolicy } from './retention/retention-scheduler.js';
export { DEFAULT_RETENTION_INTERVAL_MILLIS } from './retention/retention-scheduler.js';
export {
  DEFAULT_HOST,
  DEFAULT_MAX_BATCH_SPANS,
  DEFAULT_MAX_QUEUED_SPANS,
  DEFAULT_MAX_REQUEST_BYTES,
  DEFAULT_OTLP_GRPC_PORT,
  DEFAULT_OTLP_HTTP_PORT,
  DEFAULT_PROJECT_ID,
} from './server-config.js';
export type { IngestStats } from './ingest/ingest-stats.js';
export type { Logger } from './logger.js';
export { createStderrLogger, silentLogger } from './logger.js';
export {
  InvalidParameterError,
  MalformedBodyError,
  MethodNotAllowedError,
  NotFoundError,
  PortInUseError,
  QueueFullError,
  RequestTooLargeError,
  ServerError,
  ServerStoppingError,
  StoreWriteError,
  UnsupportedMediaTypeError,
} from './errors.js';
export { buildOpenApiDocument } from './api/openapi-document.js';
export { OTLP_LOGS_SERVICE, OTLP_TRACE_SERVICE } from './otlp-grpc/otlp-grpc-services.js';
export type { ProjectPriceStore, StoredProjectPrices } from './prices/project-price-store.js';
export { DirectoryProjectPriceStore } from './prices/directory-project-price-store.js';
export { createMemoryProjectPriceStore } from './prices/memory-project-price-store.js';
export { DEFAULT_PRICES_RELOAD_MILLIS } from './prices/project-prices.js';
export type { PriceFile, ProjectPricesBody } from './api/prices-schemas.js';
export { PriceFileSchema } from './api/prices-schemas.js';
