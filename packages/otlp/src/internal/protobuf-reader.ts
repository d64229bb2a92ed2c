// A bounds-checked cursor over protobuf wire bytes. Every read takes the `end` of the message it
// belongs to, so a length that points past its parent, a truncated varint or a fixed field cut
// short becomes an OtlpDecodeError naming the byte offset — never a RangeError or a silent
// read of the neighbouring message.

import { OtlpDecodeError } from '../otlp-decode-error.js';
import { cachedString, STRING_CACHE_MAX_BYTES } from './string-cache.js';

/** Wire types of protobuf encoding (https://protobuf.dev/programming-guides/encoding/). */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_FIXED32 = 5;

const MAX_VARINT_BYTES = 10;
const TWO_POW_32 = 4294967296;
/** Below this, a 64-bit value built from two 32-bit halves is an exact JS number. */
const SAFE_HIGH_WORD_LIMIT = 0x200000;

// Node's Buffer decodes UTF-8 and hex natively and faster than TextDecoder on the short strings
// OTLP is made of (attribute keys, ids). `utf8Slice`/`hexSlice` skip the argument checks of
// `toString` and have existed on every Node release; fall back to `toString` if they go away.
interface NativeSlices {
  utf8Slice(start: number, end: number): string;
  hexSlice(start: number, end: number): string;
}
const HAS_NATIVE_SLICES =
  typeof (Buffer.prototype as unknown as Partial<NativeSlices>).utf8Slice === 'function' &&
  typeof (Buffer.prototype as unknown as Partial<NativeSlices>).hexSlice === 'function';

export class ProtobufReader {
  /** Offset of the next unread byte, relative to the start of the request body. */
  pos = 0;
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  private readonly buffer: Buffer;
  private readonly slices: NativeSlices;
  private readonly decodeUtf8: (start: number, end: number) => string;

  constructor(bytes: Uint8Array) {
    // A plain Uint8Array view keeps element access monomorphic whether the caller passed a Buffer.
    this.bytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.slices = HAS_NATIVE_SLICES
      ? (this.buffer as unknown as NativeSlices)
      : {
          utf8Slice: (start, end) => this.buffer.toString('utf8', start, end),
          hexSlice: (start, end) => this.buffer.toString('hex', start, end),
        };
    this.decodeUtf8 = (start, end) => this.slices.utf8Slice(start, end);
  }

  /** Reads a field tag (`field << 3 | wireType`); field 0 is invalid in every message. */
  readTag(end: number): number {
    const start = this.pos;
    const first = this.bytes[start];
    let tag: number;
    if (first !== undefined && first < 0x80 && start < end) {
      this.pos = start + 1;
      tag = first;
    } else {
      tag = this.readVarint32(end);
    }
    if (tag >>> 3 === 0) throw new OtlpDecodeError(`invalid field number 0 at byte offset ${start}`);
    return tag;
  }

  /** A varint truncated to its low 32 bits, unsigned (protobuf uint32/int32/enum semantics). */
  readVarint32(end: number): number {
    const bytes = this.bytes;
    let position = this.pos;
    let result = 0;
    for (let index = 0; index < MAX_VARINT_BYTES; index++) {
      if (position >= end) throw this.truncated('varint', end);
      const byte = bytes[position++]!;
      if (index < 5) result |= (byte & 0x7f) << (7 * index);
      if (byte < 0x80) {
        this.pos = position;
        return result >>> 0;
      }
    }
    throw new OtlpDecodeError(`varint longer than 10 bytes at byte offset ${this.pos}`);
  }

  /** A varint as a JS number; exact below 2^53, which covers every length and count. */
  readVarintNumber(end: number): number {
    const bytes = this.bytes;
    let position = this.pos;
    let result = 0;
    let scale = 1;
    for (let index = 0; index < MAX_VARINT_BYTES; index++) {
      if (position >= end) throw this.truncated('varint', end);
      const byte = bytes[position++]!;
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if (byte < 0x80) {
        this.pos = position;
        return result;
      }
    }
    throw new OtlpDecodeError(`varint longer than 10 bytes at byte offset ${this.pos}`);
  }

  /** An int64 varint as an exact bigint, negative values (10-byte two's complement) included. */
  readInt64(end: number): bigint {
    const bytes = this.bytes;
    const start = this.pos;
    let position = start;
    let low = 0;
    let high = 0;
    for (let index = 0; index < MAX_VARINT_BYTES; index++) {
      if (position >= end) throw this.truncated('varint', end);
      const byte = bytes[position++]!;
      const bits = byte & 0x7f;
      if (index < 4) {
        low |= bits << (7 * index);
      } else if (index === 4) {
        low |= bits << 28; // only the low 4 bits land in the low word
        high |= bits >>> 4;
      } else {
        high |= bits << (7 * index - 32); // index 9 contributes only bit 63
      }
      if (byte < 0x80) {
        this.pos = position;
        const unsignedLow = low >>> 0;
        const unsignedHigh = high >>> 0;
        if (unsignedHigh < SAFE_HIGH_WORD_LIMIT) return BigInt(unsignedHigh * TWO_POW_32 + unsignedLow);
        return BigInt.asIntN(64, (BigInt(unsignedHigh) << 32n) | BigInt(unsignedLow));
      }
    }
    throw new OtlpDecodeError(`varint longer than 10 bytes at byte offset ${start}`);
  }

  /** A length prefix, checked against the bytes left in the enclosing message. */
  readLength(end: number): number {
    const start = this.pos;
    const first = this.bytes[start];
    let length: number;
    if (first !== undefined && first < 0x80 && start < end) {
      this.pos = start + 1; // one-byte prefix: most strings and small messages
      length = first;
    } else {
      length = this.readVarintNumber(end);
    }
    if (length > end - this.pos) {
      throw new OtlpDecodeError(
        `length ${length} at byte offset ${start} runs past the end of its message (${end - this.pos} bytes left)`,
      );
    }
    return length;
  }

  /** Reads a length prefix and returns the end offset of the nested message it announces. */
  readMessageEnd(end: number): number {
    const length = this.readLength(end);
    return this.pos + length;
  }

  readString(end: number): string {
    const length = this.readLength(end);
    const start = this.pos;
    this.pos = start + length;
    return length === 0 ? '' : this.slices.utf8Slice(start, start + length);
  }

  /** Like readString, for strings that repeat across spans (keys, names): short ones come from a cache. */
  readRepeatedString(end: number): string {
    const length = this.readLength(end);
    const start = this.pos;
    this.pos = start + length;
    if (length === 0) return '';
    return length <= STRING_CACHE_MAX_BYTES
      ? cachedString(this.bytes, start, start + length, this.decodeUtf8)
      : this.slices.utf8Slice(start, start + length);
  }

  /** Lowercase hex of a byte range already bounds-checked by the caller. */
  hex(start: number, end: number): string {
    return this.slices.hexSlice(start, end);
  }

  /** A copy of a bytes field, so values do not keep the whole request body alive. */
  readBytesCopy(end: number): Uint8Array {
    const length = this.readLength(end);
    const start = this.pos;
    this.pos = start + length;
    const copy = new Uint8Array(length);
    copy.set(this.bytes.subarray(start, start + length));
    return copy;
  }

  readFixed64(end: number): bigint {
    const start = this.pos;
    if (end - start < 8) throw this.truncated('fixed64', end);
    this.pos = start + 8;
    return this.view.getBigUint64(start, true);
  }

  readFixed32(end: number): number {
    const start = this.pos;
    if (end - start < 4) throw this.truncated('fixed32', end);
    this.pos = start + 4;
    return this.view.getUint32(start, true);
  }

  readDouble(end: number): number {
    const start = this.pos;
    if (end - start < 8) throw this.truncated('double', end);
    this.pos = start + 8;
    return this.view.getFloat64(start, true);
  }

  /** Skips the value of a field this decoder does not read (unknown, reserved or mistyped). */
  skip(tag: number, end: number): void {
    const wireType = tag & 7;
    switch (wireType) {
      case WIRE_VARINT:
        this.readVarintNumber(end);
        return;
      case WIRE_FIXED64:
        if (end - this.pos < 8) throw this.truncated('fixed64', end);
        this.pos += 8;
        return;
      case WIRE_LENGTH_DELIMITED: {
        const length = this.readLength(end); // read first: `pos +=` would use the pos before the prefix
        this.pos += length;
        return;
      }
      case WIRE_FIXED32:
        if (end - this.pos < 4) throw this.truncated('fixed32', end);
        this.pos += 4;
        return;
      case 3:
      case 4:
        throw new OtlpDecodeError(
          `field ${tag >>> 3} uses a protobuf group (wire type ${wireType}), which OTLP never sends, before byte offset ${this.pos}`,
        );
      default:
        throw new OtlpDecodeError(`invalid wire type ${wireType} for field ${tag >>> 3} before byte offset ${this.pos}`);
    }
  }

  private truncated(what: string, end: number): OtlpDecodeError {
    const where = end === this.bytes.length ? 'the body' : `its message (ends at byte offset ${end})`;
    return new OtlpDecodeError(`truncated ${what} at byte offset ${this.pos}: ${where} ends first`);
  }
}
