// Reads a request body (Content-Length or chunked) into memory, refusing it as soon as it passes
// the byte limit so an oversized upload never sits whole in memory. On refusal the rest of the
// upload is discarded (not the socket destroyed), so the client still receives the 413.

import type { IncomingMessage } from 'node:http';
import { MalformedBodyError, RequestTooLargeError } from '../errors.js';

export function readBody(request: IncomingMessage, maxRequestBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxRequestBytes) {
    return Promise.reject(new RequestTooLargeError(maxRequestBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const cleanUp = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      length += chunk.length;
      if (length <= maxRequestBytes) {
        chunks.push(chunk);
        return;
      }
      cleanUp();
      chunks.length = 0;
      request.resume();
      reject(new RequestTooLargeError(maxRequestBytes));
    };
    const onEnd = () => {
      cleanUp();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length));
    };
    const onError = (error: Error) => {
      cleanUp();
      reject(new MalformedBodyError('the request body could not be read completely', { cause: error }));
    };
    const onClose = () => {
      if (request.complete) return;
      cleanUp();
      reject(new MalformedBodyError('the client closed the connection before sending the whole body'));
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
  });
}
