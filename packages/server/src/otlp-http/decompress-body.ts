// Content-Encoding for OTLP/HTTP: identity, gzip (the spec's MUST) and deflate (zlib-wrapped or
// raw — clients disagree on which "deflate" means, so the header byte decides). The output is
// capped with zlib's maxOutputLength so a small zip bomb cannot expand past maxRequestBytes.

import { promisify } from 'node:util';
import { gunzip, inflate, inflateRaw, type ZlibOptions } from 'node:zlib';
import { MalformedBodyError, RequestTooLargeError, UnsupportedMediaTypeError } from '../errors.js';

const gunzipAsync = promisify<Buffer, ZlibOptions, Buffer>(gunzip);
const inflateAsync = promisify<Buffer, ZlibOptions, Buffer>(inflate);
const inflateRawAsync = promisify<Buffer, ZlibOptions, Buffer>(inflateRaw);

export const SUPPORTED_CONTENT_ENCODINGS = ['gzip', 'deflate', 'identity'] as const;

/** True when the bytes start with a zlib (RFC 1950) header rather than raw deflate (RFC 1951). */
function hasZlibHeader(body: Buffer): boolean {
  if (body.length < 2) return false;
  const cmf = body[0]!;
  const flg = body[1]!;
  return (cmf & 0x0f) === 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 === 0;
}

export async function decompressBody(
  body: Buffer,
  contentEncoding: string | undefined,
  maxRequestBytes: number,
): Promise<Buffer> {
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding === '' || encoding === 'identity') return body;
  let algorithm: 'gzip' | 'deflate';
  if (encoding === 'gzip' || encoding === 'x-gzip') algorithm = 'gzip';
  else if (encoding === 'deflate') algorithm = 'deflate';
  else {
    throw new UnsupportedMediaTypeError(
      `Content-Encoding "${encoding.slice(0, 40)}" is not supported; use ${SUPPORTED_CONTENT_ENCODINGS.join(', ')}`,
    );
  }
  if (body.length === 0) return body;
  const options: ZlibOptions = { maxOutputLength: maxRequestBytes };
  try {
    if (algorithm === 'gzip') return await gunzipAsync(body, options);
    return hasZlibHeader(body) ? await inflateAsync(body, options) : await inflateRawAsync(body, options);
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new RequestTooLargeError(maxRequestBytes, 'decompressed request body');
    }
    throw new MalformedBodyError(`the body is not valid ${algorithm} data (Content-Encoding: ${algorithm})`, {
      cause: error,
    });
  }
}
