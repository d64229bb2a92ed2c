// The request parameters of a model call, from whichever convention recorded them: OTel GenAI
// `gen_ai.request.*` (the model itself is shown elsewhere), OpenInference's
// `llm.invocation_parameters` JSON, and the Vercel AI SDK's `ai.settings.*`.

export interface ModelParameter {
  /** Short name as people say it: "temperature", "max_tokens", "top_p". */
  name: string;
  value: string;
}

/** Well-known parameters first, in this order; the rest follow alphabetically. */
const ORDER = ['temperature', 'max_tokens', 'top_p', 'top_k', 'frequency_penalty', 'presence_penalty', 'stop_sequences', 'seed', 'choice.count'];

const ALIASES: Record<string, string> = {
  maxTokens: 'max_tokens',
  max_output_tokens: 'max_tokens',
  max_completion_tokens: 'max_tokens',
  maxOutputTokens: 'max_tokens',
  topP: 'top_p',
  topK: 'top_k',
  frequencyPenalty: 'frequency_penalty',
  presencePenalty: 'presence_penalty',
  stopSequences: 'stop_sequences',
  stop: 'stop_sequences',
  n: 'choice.count',
};

function formatValue(value: unknown): string {
  if (Array.isArray(value)) return value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join(', ');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

export function modelParameters(attributes: Record<string, unknown>): ModelParameter[] {
  const found = new Map<string, string>();
  const add = (rawName: string, value: unknown) => {
    if (value === null || value === undefined || value === '') return;
    const name = ALIASES[rawName] ?? rawName;
    if (!found.has(name)) found.set(name, formatValue(value));
  };
  for (const [key, value] of Object.entries(attributes)) {
    if (key.startsWith('gen_ai.request.') && key !== 'gen_ai.request.model') add(key.slice('gen_ai.request.'.length), value);
  }
  for (const [key, value] of Object.entries(attributes)) {
    if (key.startsWith('ai.settings.')) add(key.slice('ai.settings.'.length), value);
  }
  const invocation = attributes['llm.invocation_parameters'];
  if (typeof invocation === 'string') {
    try {
      const parsed = JSON.parse(invocation) as unknown;
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        for (const [key, value] of Object.entries(parsed)) if (key !== 'model') add(key, value);
      }
    } catch {
      // Not JSON: the raw attribute is still listed under Attributes.
    }
  }
  const rankOf = (name: string) => {
    const index = ORDER.indexOf(name);
    return index < 0 ? ORDER.length : index;
  };
  return [...found.entries()]
    .map(([name, value]) => ({ name, value }))
    .sort((a, b) => rankOf(a.name) - rankOf(b.name) || a.name.localeCompare(b.name));
}
