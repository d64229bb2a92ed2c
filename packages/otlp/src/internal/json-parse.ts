// JSON.parse for OTLP/JSON bodies that keeps 64-bit integers exact.
//
// OTLP/JSON sends 64-bit integers (times, intValue) as decimal strings, but hand-rolled exporters
// often send bare numbers, and JSON.parse rounds any integer above 2^53 — a nanosecond timestamp
// (~1.8e18) loses its last digits. Before parsing, integer literals of 16 or more digits outside
// strings are wrapped in quotes, so they arrive as strings that the field readers turn into
// exact bigints (every numeric field reader also accepts a numeric string). Shorter literals are
// always below 2^53 and stay numbers. A quick regex decides whether the rewrite is needed at all:
// every JSON number that is not the whole document follows `:`, `,` or `[`.

import { OtlpDecodeError } from '../otlp-decode-error.js';

const MAYBE_LONG_INTEGER = /[:,[]\s*-?\d{16}/;
const MAX_SAFE_DIGITS = 15;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const MINUS = 0x2d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** Parses OTLP/JSON text; throws OtlpDecodeError for text that is not JSON. */
export function parseOtlpJson(body: Uint8Array | string): unknown {
  let text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // tolerate a UTF-8 byte order mark
  const prepared = MAYBE_LONG_INTEGER.test(text) ? quoteLongIntegers(text) : text;
  try {
    return JSON.parse(prepared);
  } catch (error) {
    throw new OtlpDecodeError(`invalid JSON: ${syntaxErrorMessage(text, error)}`);
  }
}

/** The parser's message for the text as sent (positions in the rewritten text would be off). */
function syntaxErrorMessage(text: string, fallback: unknown): string {
  let message = fallback instanceof Error ? fallback.message : String(fallback);
  try {
    JSON.parse(text);
  } catch (error) {
    if (error instanceof Error) message = error.message;
  }
  return message.length > 300 ? `${message.slice(0, 297)}...` : message;
}

function quoteLongIntegers(text: string): string {
  const length = text.length;
  let result = '';
  let copiedUpTo = 0;
  let index = 0;
  while (index < length) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      index = endOfString(text, index + 1);
    } else if (code === MINUS || (code >= DIGIT_0 && code <= DIGIT_9)) {
      const start = index;
      let isInteger = true;
      index++;
      while (index < length) {
        const next = text.charCodeAt(index);
        if (next >= DIGIT_0 && next <= DIGIT_9) index++;
        else if (next === 0x2e || next === 0x65 || next === 0x45 || next === 0x2b || next === MINUS) {
          isInteger = false; // '.', 'e', 'E', '+', '-': a double, rounding is expected
          index++;
        } else break;
      }
      const digits = index - start - (code === MINUS ? 1 : 0);
      if (isInteger && digits > MAX_SAFE_DIGITS) {
        result += `${text.slice(copiedUpTo, start)}"${text.slice(start, index)}"`;
        copiedUpTo = index;
      }
    } else {
      index++;
    }
  }
  return copiedUpTo === 0 ? text : result + text.slice(copiedUpTo);
}

/** Index just past the quote that closes the string whose content starts at `from`. */
function endOfString(text: string, from: number): number {
  let searchFrom = from;
  for (;;) {
    const quote = text.indexOf('"', searchFrom);
    if (quote < 0) return text.length; // unterminated: JSON.parse reports it
    let backslashes = 0;
    for (let index = quote - 1; index >= from && text.charCodeAt(index) === BACKSLASH; index--) backslashes++;
    if (backslashes % 2 === 0) return quote + 1;
    searchFrom = quote + 1;
  }
}
