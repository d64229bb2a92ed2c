// Hand-written gRPC service definitions for the OTLP collector services. Messages pass through
// as raw bytes (identity serializers): @cairn/otlp decodes requests and encodes responses, so no
// proto-loader or generated code is needed.

import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';

const passThrough = (bytes: Buffer): Buffer => bytes;

function unaryBytesMethod(path: string): MethodDefinition<Buffer, Buffer> {
  return {
    path,
    requestStream: false,
    responseStream: false,
    requestSerialize: passThrough,
    requestDeserialize: passThrough,
    responseSerialize: passThrough,
    responseDeserialize: passThrough,
  };
}

export interface OtlpExportService extends ServiceDefinition {
  Export: MethodDefinition<Buffer, Buffer>;
}

/** opentelemetry.proto.collector.trace.v1.TraceService */
export const OTLP_TRACE_SERVICE: OtlpExportService = {
  Export: unaryBytesMethod('/opentelemetry.proto.collector.trace.v1.TraceService/Export'),
};

/** opentelemetry.proto.collector.logs.v1.LogsService */
export const OTLP_LOGS_SERVICE: OtlpExportService = {
  Export: unaryBytesMethod('/opentelemetry.proto.collector.logs.v1.LogsService/Export'),
};
