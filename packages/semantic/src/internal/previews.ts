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
 * Word boundaries found by singleLine (module scratch: it is synchronous and not re-entrant). A
 * line of at most MAX_CHARS characters has at most MAX_CHARS / 2 + 1 words, plus the one that
 * overflows it.
 */
const wordStarts = new Int32Array(MAX_CHARS + 4);
const wordEnds = new Int32Array(MAX_CHARS + 4);
const line = { words: 0, length: 0, contiguous: true };

function addWord(text: string, start: number, end: number): void {
  const count = line.words;
  // Contiguous: exactly one ' ' since the previous word, so the line is a slice of the text.
  if (count > 0 && (start !== wordEnds[count - 1]! + 1 || text.charCodeAt(start - 1) !== 0x20)) line.contiguous = false;
  line.length += (count === 0 ? 0 : 1) + end - start;
  wordStarts[count] = start;
  wordEnds[count] = end;
  line.words = count + 1;
}

/**
 * Collapses whitespace runs (and control characters) into single spaces and cuts to
 * PREVIEW_MAX_CHARS, ending a cut text with '…'. Scans only as far as the preview reaches: a
 * regex over a whole 4 KB message costs ~15 µs, more than the rest of normalization.
 *
 * The result is one flat string (a slice of the text, or a join of its words): built with `+=`
 * word by word it was a rope of ~100 small objects per preview, which every record waiting for
 * its write kept alive through young-generation GCs (half a normalized record's heap, measured).
 */
export function singleLine(text: string): string {
  const simple = simpleLine(text);
  if (simple !== undefined) return simple;
  line.words = 0;
  line.length = 0;
  line.contiguous = true;
  let runStart = -1;
  let index = 0;
  for (; index < text.length && line.length <= MAX_CHARS; index++) {
    if (!isSpace(text.charCodeAt(index))) {
      if (runStart < 0) runStart = index;
      else if (line.length + index - runStart > MAX_CHARS) break; // one long word
      continue;
    }
    if (runStart >= 0) {
      addWord(text, runStart, index);
      runStart = -1;
    }
  }
  if (runStart >= 0) addWord(text, runStart, index);
  const count = line.words;
  if (count === 0) return '';
  let joined: string;
  if (line.contiguous) {
    joined = text.slice(wordStarts[0], wordEnds[count - 1]);
  } else {
    const words = new Array<string>(count);
    for (let word = 0; word < count; word++) words[word] = text.slice(wordStarts[word], wordEnds[word]);
    joined = words.join(' ');
  }
  if (joined.length <= MAX_CHARS) return joined;
  let end = MAX_CHARS - 1;
  // Never split a surrogate pair: a lone high surrogate is not valid text.
  const last = joined.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${joined.slice(0, end)}…`;
}

/**
 * Whitespace other than a lone ' ' between words (what singleLine would change) within a text's
 * first MAX_CHARS + 1 characters: leading or doubled spaces, any other space, a control.
 * Same set as isSpace below.
 */
// eslint-disable-next-line no-control-regex -- controls count as whitespace here, as in isSpace
const NOT_SIMPLE = /^ | {2}|[\x00-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

/**
 * singleLine's result when the text (as far as the preview reaches) is already one line of
 * single-spaced words, the usual case — one native regex test instead of a scan per character
 * (~4× faster); undefined otherwise.
 */
function simpleLine(text: string): string | undefined {
  if (text.length <= MAX_CHARS) {
    if (text.length === 0 || text.charCodeAt(text.length - 1) === 0x20 || NOT_SIMPLE.test(text)) return undefined;
    return text;
  }
  const head = text.slice(0, MAX_CHARS + 1);
  // A space last could be followed by nothing but more spaces, and the line would end before it.
  if (head.charCodeAt(MAX_CHARS) === 0x20 || NOT_SIMPLE.test(head)) return undefined;
  let end = MAX_CHARS - 1;
  const last = head.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${head.slice(0, end)}…`;
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
