// What OpenInference spans carry only inside JSON text: the `metadata` attribute (the app's run
// metadata — LangChain's `session_id` / `user_id` and its LangSmith keys `ls_provider` /
// `ls_model_name`, or openinference-core's `setMetadata`) and, for LangChain and the OpenAI Agents
// SDK, the response model inside `output.value` (their `llm.model_name` is the model asked for).

import type { AttributeMap } from '@cairn/model';
import type { ExtractNotes } from '../dialect.js';
import { isRecord, parseJsonText } from '../internal/attribute-readers.js';

type MetadataField = 'sessionId' | 'userId' | 'provider' | 'requestModel';

/** A value found in the metadata, with the key it came from (for mapping explain). */
export type MetadataFields = Partial<Record<MetadataField, { value: string; source: string }>>;

/** Takes a metadata value for a field no attribute filled, and says so in the notes. */
export function useMetadata(fields: MetadataFields, field: MetadataField, notes?: ExtractNotes): string | undefined {
  const found = fields[field];
  if (found !== undefined) notes?.source(field, found.source);
  return found?.value;
}

// OpenInference's LangChain tracer takes the session from the first of session_id / thread_id /
// conversation_id (and writes session.id itself); the user it leaves in the metadata.
const METADATA_KEYS: ReadonlyArray<readonly [MetadataField, readonly string[]]> = [
  ['sessionId', ['session_id', 'sessionId', 'thread_id', 'conversation_id']],
  ['userId', ['user_id', 'userId']],
  ['provider', ['ls_provider']],
  ['requestModel', ['ls_model_name']],
];

/** The canonical fields the `metadata` JSON object names; invalid JSON is a problem, not an error. */
export function metadataFields(attributes: AttributeMap, notes?: ExtractNotes): MetadataFields {
  const raw = attributes.metadata;
  if (typeof raw !== 'string') return {};
  const parsed = parseJsonText(raw);
  if (!isRecord(parsed)) {
    notes?.problem('metadata', 'not a JSON object');
    return {};
  }
  const fields: MetadataFields = {};
  for (const [field, keys] of METADATA_KEYS) {
    const key = keys.find((candidate) => typeof parsed[candidate] === 'string' && parsed[candidate] !== '');
    if (key !== undefined) fields[field] = { value: parsed[key] as string, source: `metadata.${key}` };
  }
  return fields;
}

/**
 * The model that answered, where the span's `llm.model_name` is the one the app asked for and the
 * answer is only in `output.value`: LangChain's LLM result
 * (`generations[0][0].message.kwargs.response_metadata.model_name`), or the OpenAI Agents SDK's
 * list of raw chat completions (`[{ object: "chat.completion", model }]`, the last one answered).
 */
export function outputResponseModel(attributes: AttributeMap, notes?: ExtractNotes): string | undefined {
  const raw = attributes['output.value'];
  if (typeof raw !== 'string' || !raw.includes('"model')) return undefined;
  const parsed = parseJsonText(raw);
  const found = langChainResponseModel(parsed) ?? completionModel(parsed);
  if (found !== undefined) notes?.source('model', `output.value ${found.path}`);
  return found?.model;
}

function langChainResponseModel(parsed: unknown): { model: string; path: string } | undefined {
  if (!isRecord(parsed) || !Array.isArray(parsed.generations)) return undefined;
  const first: unknown = Array.isArray(parsed.generations[0]) ? parsed.generations[0][0] : undefined;
  const message = isRecord(first) ? first.message : undefined;
  const kwargs = isRecord(message) ? (isRecord(message.kwargs) ? message.kwargs : message) : undefined;
  const metadata = isRecord(kwargs) ? kwargs.response_metadata : undefined;
  if (!isRecord(metadata)) return undefined;
  const model = [metadata.model_name, metadata.model].find((value): value is string => typeof value === 'string' && value !== '');
  return model === undefined ? undefined : { model, path: 'generations[0][0].message.response_metadata' };
}

const COMPLETION_OBJECTS = new Set(['chat.completion', 'response']);

function completionModel(parsed: unknown): { model: string; path: string } | undefined {
  const last: unknown = Array.isArray(parsed) ? parsed[parsed.length - 1] : parsed;
  if (!isRecord(last) || typeof last.object !== 'string' || !COMPLETION_OBJECTS.has(last.object)) return undefined;
  if (typeof last.model !== 'string' || last.model === '') return undefined;
  return { model: last.model, path: Array.isArray(parsed) ? `[${parsed.length - 1}].model` : 'model' };
}
