// OTLP/gRPC receiver on @grpc/grpc-js: TraceService/Export and LogsService/Export. Errors map
// through describeError like OTLP/HTTP; throttling is UNAVAILABLE with a RetryInfo detail and
// grpc-retry-pushback-ms. grpc-js itself enforces the message size limit (RESOURCE_EXHAUSTED)
// and decompresses gzip/deflate messages.

import {
  Metadata,
  Server,
  type sendUnaryData,
  type ServerUnaryCall,
  type ServiceError,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { describeError } from '../error-response.js';
import type { IngestPipeline, OtlpSignal } from '../ingest/ingest-pipeline.js';
import type { Logger } from '../logger.js';
import { OTLP_LOGS_SERVICE, OTLP_TRACE_SERVICE } from './otlp-grpc-services.js';
import { encodeRetryInfoStatus } from './retry-info-details.js';

export interface OtlpGrpcServerOptions {
  pipeline: IngestPipeline;
  logger: Logger;
  maxRequestBytes: number;
}

function exportHandler({ pipeline, logger }: OtlpGrpcServerOptions, signal: OtlpSignal) {
  return (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>): void => {
    pipeline.export(signal, 'protobuf', call.request).then(
      (answer) => {
        pipeline.recordOutcome(null);
        callback(null, Buffer.from(answer.buffer, answer.byteOffset, answer.byteLength));
      },
      (error: unknown) => {
        const described = describeError(error);
        pipeline.recordOutcome(described);
        if (described.unexpected) logger.error(`OTLP/gRPC ${signal} export failed`, error);
        const metadata = new Metadata();
        if (described.retryAfterSeconds !== null) {
          metadata.set('grpc-retry-pushback-ms', String(described.retryAfterSeconds * 1000));
          metadata.set(
            'grpc-status-details-bin',
            encodeRetryInfoStatus(described.grpcCode, described.message, described.retryAfterSeconds),
          );
        }
        const serviceError: Partial<ServiceError> = { code: described.grpcCode, details: described.message, metadata };
        callback(serviceError, null);
      },
    );
  };
}

export function createOtlpGrpcServer(options: OtlpGrpcServerOptions): Server {
  const server = new Server({
    'grpc.max_receive_message_length': options.maxRequestBytes,
  });
  const traces: UntypedServiceImplementation = { Export: exportHandler(options, 'traces') };
  const logs: UntypedServiceImplementation = { Export: exportHandler(options, 'logs') };
  server.addService(OTLP_TRACE_SERVICE, traces);
  server.addService(OTLP_LOGS_SERVICE, logs);
  return server;
}
