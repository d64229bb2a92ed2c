// One-line previews for span lists and search: the user's last question and the model's first
// answer, whitespace collapsed, at most PREVIEW_MAX_CHARS characters (UTF-16 code units).

import type { CanonicalMessage, MessagePart } from '@cairn/model';
import { PREVIEW_MAX_CHARS, stringifyJson } from '@cairn/model';
import type { SpanContent } from '../dialect.js';
import { isOpaquePart } from './canonical-messages.js';

/** A module-local copy: read per character below, and an imported binding may be a getter. */
const MAX_CHARS = PREVIEW_MAX_CHARS;

export function inputPreview(content: SpanContent | undefined): string {
  if (content === undefined) return '';
  if (content.kind === 'value') return valuePreview(content.value);
  const messages = content.messages;
  let chosen: CanonicalMessage | undefined;
  for (let index = messages.length - 1; index >= 0 && chosen === undefined; index--) {
    if (messages[index]!.role === 'user') chosen = messages[index];
  }
  chosen ??= messages[messages.length - 1];
  return chosen === undefined ? '' : singleLine(messageText(chosen.parts));
}

export function outputPreview(content: SpanContent | undefined): string {
  if (content === undefined) return '';
  if (content.kind === 'value') return valuePreview(content.value);
  const first = content.messages[0];
  return first === undefined ? '' : singleLine(messageText(first.parts));
}

/** Plain text first; else the tool calls as `→ name(args)`; else results and other parts. */
function messageText(parts: MessagePart[]): string {
  const texts: string[] = [];
  for (const part of parts) if (part.type === 'text' && !isOpaquePart(part)) texts.push(part.text);
  if (texts.length > 0) return texts.join(' ');
  for (const part of parts) if (part.type === 'tool_call') texts.push(`→ ${part.name}(${argumentsText(part.arguments)})`);
  if (texts.length > 0) return texts.join(' ');
  for (const part of parts) {
    if (part.type === 'tool_result') texts.push(valueText(part.result));
    else if (part.type === 'text') texts.push(part.text);
  }
  return texts.join(' ');
}

function argumentsText(value: unknown): string {
  return value === null || value === undefined ? '' : valueText(value);
}

function valuePreview(value: unknown): string {
  return value === null || value === undefined ? '' : singleLine(valueText(value));
}

function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    // Native and several times faster than stringifyJson's replacer; values parsed from JSON
    // text (the usual case) hold no bigint.
    return JSON.stringify(value) ?? String(value);
  } catch {
    return stringifyJson(value) ?? String(value);
  }
}

/**
 * Collapses whitespace runs (and control characters) into single spaces and cuts to
 * PREVIEW_MAX_CHARS, ending a cut text with '…'. Scans only as far as the preview reaches: a
 * regex over a whole 4 KB message costs ~15 µs, more than the rest of normalization.
 *
 * The result is one flat string (a slice, or a join of the words): built with `+=` word by word
 * it was a rope of ~100 small objects per preview, which every record waiting for its write
 * kept alive through young-generation GCs (half of a normalized record's heap, measured).
 */
export function singleLine(text: string): string {
  const words: string[] = [];
  let length = 0;
  /** Whether the words so far are text[firstStart, end) with single spaces between them. */
  let contiguous = true;
  let firstStart = -1;
  let lastEnd = -1;
  let runStart = -1;
  let index = 0;
  const addWord = (start: number, end: number) => {
    if (firstStart < 0) firstStart = start;
    else if (contiguous && (start !== lastEnd + 1 || text.charCodeAt(lastEnd) !== 0x20)) contiguous = false;
    length += (words.length === 0 ? 0 : 1) + end - start;
    words.push(text.slice(start, end));
    lastEnd = end;
  };
  for (; index < text.length && length <= MAX_CHARS; index++) {
    if (!isSpace(text.charCodeAt(index))) {
      if (runStart < 0) runStart = index;
      else if (length + index - runStart > MAX_CHARS) break; // one long word
      continue;
    }
    if (runStart >= 0) {
      addWord(runStart, index);
      runStart = -1;
    }
  }
  if (runStart >= 0) addWord(runStart, index);
  if (words.length === 0) return '';
  const line = contiguous ? text.slice(firstStart, lastEnd) : words.length === 1 ? words[0]! : words.join(' ');
  if (line.length <= MAX_CHARS) return line;
  let end = MAX_CHARS - 1;
  // Never split a surrogate pair: a lone high surrogate is not valid text.
  const last = line.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${line.slice(0, end)}…`;
}

/** ASCII controls and space, and the Unicode spaces `\s` matches. */
function isSpace(code: number): boolean {
  if (code <= 0x20) return true;
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}
