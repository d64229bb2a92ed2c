// A fast path for the message JSON OTel GenAI instrumentations emit most: JSON.stringify output of
// `[{"role":…,"parts":[{"type":"text","content":…}]}, …]` (optionally with "finish_reason"), with
// no escapes in any string. One sticky regex pass builds the canonical messages directly instead
// of JSON.parse plus the conversion. Anything else, even valid JSON of the same meaning, returns
// undefined and takes the general path, so the result always equals
// toMessageList(JSON.parse(text), role).

import type { CanonicalMessage } from '@cairn/model';

/**
 * One message. Strings allow no `"`, `\` or control characters, so the captured text is exactly
 * what JSON.parse would give; the role must be non-empty (an empty one takes the default role).
 */
// eslint-disable-next-line no-control-regex -- raw control characters are what JSON strings forbid
const MESSAGE = /\{"role":"([^"\\\x00-\x1f]+)","parts":\[\{"type":"text","content":"([^"\\\x00-\x1f]*)"\}\](?:,"finish_reason":"[^"\\\x00-\x1f]*")?\}/y;

const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;

/** The canonical messages of `text` when it has exactly the plain shape above, else undefined. */
export function plainTextMessages(text: string): CanonicalMessage[] | undefined {
  if (text.charCodeAt(0) !== OPEN_BRACKET) return undefined;
  const messages: CanonicalMessage[] = [];
  let position = 1;
  for (;;) {
    MESSAGE.lastIndex = position;
    const match = MESSAGE.exec(text);
    if (match === null) return undefined;
    messages.push({ role: match[1]!, parts: [{ type: 'text', text: match[2]! }] });
    position = MESSAGE.lastIndex;
    const next = text.charCodeAt(position);
    if (next === COMMA) position++;
    else return next === CLOSE_BRACKET && position + 1 === text.length ? messages : undefined;
  }
}
