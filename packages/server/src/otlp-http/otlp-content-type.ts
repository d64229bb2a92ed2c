// OTLP/HTTP multiplexes protobuf and JSON on one path by Content-Type; parameters such as
// charset are ignored.

import { UnsupportedMediaTypeError } from '../errors.js';
import type { OtlpBodyEncoding } from '../ingest/ingest-pipeline.js';

export const OTLP_MEDIA_TYPES: Record<OtlpBodyEncoding, string> = {
  protobuf: 'application/x-protobuf',
  json: 'application/json',
};

export function parseOtlpContentType(header: string | undefined): OtlpBodyEncoding {
  const mediaType = (header ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf') return 'protobuf';
  if (mediaType === 'application/json') return 'json';
  const given = mediaType === '' ? 'no Content-Type' : `Content-Type "${mediaType.slice(0, 80)}"`;
  throw new UnsupportedMediaTypeError(`${given} is not supported; send application/x-protobuf or application/json`);
}
