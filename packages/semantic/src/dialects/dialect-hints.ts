// One pass over a span's attribute keys that notes which key families are present, so each
// dialect's detect is a bit test instead of its own scan. A plain HTTP span with no AI keys costs
// one charCode switch per key; a gen_ai span one startsWith more.

import type { WireSpan } from '@cairn/model';

export const HINT_GEN_AI = 1;
/** Traceloop's flattened `gen_ai.prompt.<i>.*` / `gen_ai.completion.<i>.*`. */
export const HINT_GEN_AI_FLAT = 2;
export const HINT_OPEN_INFERENCE = 4;
export const HINT_VERCEL = 8;
export const HINT_TRACELOOP = 16;
export const HINT_LANGFUSE = 32;
export const HINT_MASTRA = 64;
export const HINT_CAIRN = 128;

/** Cairn-convention keys that share the `ai.` prefix with the Vercel AI SDK. */
const CAIRN_AI_KEYS: ReadonlySet<string> = new Set(['ai.model_provider', 'ai.model_name', 'ai.prompt_version', 'ai.router_strategy']);

/** `llm.*` keys Traceloop writes (exact, then prefixes); every other `llm.*` key is OpenInference. */
const TRACELOOP_LLM_KEYS: ReadonlySet<string> = new Set([
  'llm.request.type',
  'llm.request.repetition_penalty',
  'llm.usage.total_tokens',
  'llm.headers',
  'llm.is_streaming',
  'llm.user',
  'llm.frequency_penalty',
  'llm.presence_penalty',
  'llm.top_k',
]);
const TRACELOOP_LLM_PREFIXES = ['llm.request.functions.', 'llm.chat.', 'llm.usage.'];

export function dialectHints(span: WireSpan): number {
  let hints = 0;
  for (const key in span.attributes) hints |= keyHint(key, hints);
  for (const event of span.events) if (event.name.startsWith('gen_ai.')) hints |= HINT_GEN_AI;
  const name = span.name;
  const first = name.charCodeAt(0);
  if (first === 97 && name.startsWith('ai.')) hints |= HINT_VERCEL;
  else if ((first === 114 || first === 101 || first === 118 || first === 116 || first === 108) && isCairnSpanName(name)) hints |= HINT_CAIRN;
  const scope = span.scope.name;
  if (scope === 'ai') hints |= HINT_VERCEL;
  else if (scope.charCodeAt(0) === 64 && scope.startsWith('@mastra/')) hints |= HINT_MASTRA;
  return hints;
}

/**
 * The hint of one key. `known` (the hints so far) lets the common case — the tenth `gen_ai.*`
 * key of a chat span — skip the string compares (~30 ns each, the bulk of this function).
 */
function keyHint(key: string, known: number): number {
  switch (key.charCodeAt(0)) {
    case 103: {
      // g
      if (key.charCodeAt(6) !== 46) return 0;
      if ((known & HINT_GEN_AI) === 0 && !key.startsWith('gen_ai.')) return 0;
      const next = key.charCodeAt(7);
      // Only gen_ai.prompt.<i> / gen_ai.completion.<i> need the longer test.
      return (next === 112 || next === 99) && isFlattenedGenAi(key) ? HINT_GEN_AI | HINT_GEN_AI_FLAT : HINT_GEN_AI;
    }
    case 108: // l
      if (key.charCodeAt(3) === 46 && key.startsWith('llm.')) return isTraceloopLlmKey(key) ? HINT_TRACELOOP : HINT_OPEN_INFERENCE;
      return key.startsWith('langfuse.') ? HINT_LANGFUSE : 0;
    case 97: // a
      if (!key.startsWith('ai.')) return 0;
      return CAIRN_AI_KEYS.has(key) ? HINT_CAIRN : HINT_VERCEL;
    case 111: // o
      return key.startsWith('openinference.') || key.startsWith('output.value') ? HINT_OPEN_INFERENCE : 0;
    case 105: // i
      return key.startsWith('input.value') ? HINT_OPEN_INFERENCE : 0;
    case 116: // t
      if (key.startsWith('traceloop.')) return HINT_TRACELOOP;
      if (key.startsWith('tool.') || key.startsWith('tool_call.') || key === 'tag.tags') return HINT_OPEN_INFERENCE;
      return key === 'tool_name' ? HINT_CAIRN : 0;
    case 101: // e
      if (key.startsWith('embedding.')) return HINT_OPEN_INFERENCE;
      return key.startsWith('eval.') || key === 'error_code' ? HINT_CAIRN : 0;
    case 114: // r
      if (key.startsWith('retrieval.') || key.startsWith('reranker.')) return HINT_OPEN_INFERENCE;
      return key.startsWith('rag.') ? HINT_CAIRN : 0;
    case 99: // c
      if (key === 'componentName') return HINT_MASTRA; // Mastra's built-in telemetry
      return key.startsWith('cairn.') ? HINT_CAIRN : 0;
    case 118: // v
      return key.startsWith('voice.') ? HINT_CAIRN : 0;
    case 109: // m
      return key.startsWith('mastra.') ? HINT_MASTRA : 0;
    default:
      return 0;
  }
}

function isCairnSpanName(name: string): boolean {
  return name.startsWith('rag.') || name.startsWith('eval.') || name.startsWith('voice.') || name.startsWith('tool.invoke') || name === 'llm.generate';
}

/** `gen_ai.prompt.<digit>…` or `gen_ai.completion.<digit>…`. */
export function isFlattenedGenAi(key: string): boolean {
  const at = key.startsWith('gen_ai.prompt.') ? 14 : key.startsWith('gen_ai.completion.') ? 18 : -1;
  if (at < 0) return false;
  const code = key.charCodeAt(at);
  return code >= 48 && code <= 57;
}

function isTraceloopLlmKey(key: string): boolean {
  if (TRACELOOP_LLM_KEYS.has(key)) return true;
  const next = key.charCodeAt(4);
  // r(equest.functions), c(hat), u(sage): the only letters a Traceloop prefix starts with.
  if (next !== 114 && next !== 99 && next !== 117) return false;
  for (const prefix of TRACELOOP_LLM_PREFIXES) if (key.startsWith(prefix)) return true;
  return false;
}
