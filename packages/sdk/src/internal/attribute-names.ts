// Attribute and event names the SDK writes: the OpenTelemetry GenAI conventions (≥ 1.37) that
// Cairn's semantic layer reads, plus Cairn's own `cairn.*` names for what GenAI has no name for.

export const OPERATION = 'gen_ai.operation.name';
export const PROVIDER = 'gen_ai.provider.name';
export const REQUEST_MODEL = 'gen_ai.request.model';
export const RESPONSE_MODEL = 'gen_ai.response.model';
export const RESPONSE_ID = 'gen_ai.response.id';
export const FINISH_REASONS = 'gen_ai.response.finish_reasons';
export const TIME_TO_FIRST_CHUNK = 'gen_ai.response.time_to_first_chunk';
export const REQUEST_STREAM = 'gen_ai.request.stream';
export const AGENT_NAME = 'gen_ai.agent.name';
export const AGENT_ID = 'gen_ai.agent.id';
export const CONVERSATION_ID = 'gen_ai.conversation.id';
export const WORKFLOW_NAME = 'gen_ai.workflow.name';
export const DATA_SOURCE_ID = 'gen_ai.data_source.id';
export const TOOL_NAME = 'gen_ai.tool.name';
export const TOOL_CALL_ID = 'gen_ai.tool.call.id';
export const TOOL_TYPE = 'gen_ai.tool.type';
export const TOOL_CALL_ARGUMENTS = 'gen_ai.tool.call.arguments';
export const TOOL_CALL_RESULT = 'gen_ai.tool.call.result';
export const TOOL_DEFINITIONS = 'gen_ai.tool.definitions';
export const INPUT_MESSAGES = 'gen_ai.input.messages';
export const OUTPUT_MESSAGES = 'gen_ai.output.messages';
export const SYSTEM_INSTRUCTIONS = 'gen_ai.system_instructions';
export const RETRIEVAL_QUERY = 'gen_ai.retrieval.query.text';
export const RETRIEVAL_DOCUMENTS = 'gen_ai.retrieval.documents';
export const PROMPT_NAME = 'gen_ai.prompt.name';
export const USAGE_INPUT = 'gen_ai.usage.input_tokens';
export const USAGE_OUTPUT = 'gen_ai.usage.output_tokens';
export const USAGE_CACHE_READ = 'gen_ai.usage.cache_read.input_tokens';
export const USAGE_CACHE_WRITE = 'gen_ai.usage.cache_creation.input_tokens';
export const USAGE_REASONING = 'gen_ai.usage.reasoning.output_tokens';
export const EVALUATION_NAME = 'gen_ai.evaluation.name';
export const EVALUATION_SCORE = 'gen_ai.evaluation.score.value';
export const EVALUATION_LABEL = 'gen_ai.evaluation.score.label';
export const EMBEDDING_DIMENSIONS = 'gen_ai.embeddings.dimension.count';
export const ERROR_TYPE = 'error.type';
export const SESSION_ID = 'session.id';
export const USER_ID = 'user.id';
export const OPENINFERENCE_KIND = 'openinference.span.kind';

/** Cairn's span type, always written by the typed helpers (one of the API's `spanType` values). */
export const CAIRN_SPAN_TYPE = 'cairn.span.type';
export const CAIRN_PROMPT_VERSION = 'cairn.prompt.version';
export const CAIRN_PROMPT_TEMPLATE_HASH = 'cairn.prompt.template_hash';
export const CAIRN_STREAM_CHUNKS = 'cairn.stream.chunks';
export const CAIRN_STREAM_ABANDONED = 'cairn.stream.abandoned';
export const CAIRN_VOICE_OPERATION = 'cairn.voice.operation';
export const CAIRN_VOICE_CODEC = 'cairn.voice.codec';
export const CAIRN_VOICE_SAMPLE_RATE = 'cairn.voice.sample_rate_hz';
export const CAIRN_VOICE_LANGUAGE = 'cairn.voice.language';
export const CAIRN_VOICE_CONFIDENCE = 'cairn.voice.confidence';
export const CAIRN_REDACTED = 'cairn.redaction.count';

/** Span attributes that carry user or model text; `captureContent: false` strips their text. */
export const CONTENT_ATTRIBUTES: ReadonlySet<string> = new Set([
  INPUT_MESSAGES,
  OUTPUT_MESSAGES,
  SYSTEM_INSTRUCTIONS,
  TOOL_CALL_ARGUMENTS,
  TOOL_CALL_RESULT,
  RETRIEVAL_QUERY,
  RETRIEVAL_DOCUMENTS,
  'gen_ai.prompt',
  'gen_ai.completion',
  'input.value',
  'output.value',
]);
/** true on a live record: a snapshot of a span still running (its end time is the snapshot time). */
export const CAIRN_LIVE = 'cairn.live';
