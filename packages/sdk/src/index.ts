// @cairn/sdk public API — listed by hand.

export { init, flush, shutdown, exportStats, type InitOptions, type CairnTracing } from './init.js';
export { cairnSpanProcessor, CairnSpanProcessor, DEFAULT_ENDPOINT, type CairnExportOptions } from './cairn-span-processor.js';
export { readOtelEnvironment, type OtelEnvironment } from './otel-environment.js';
export type { ExportStats } from './internal/bounded-export-queue.js';
export type { LiveSpanOptions, LiveSpanStats } from './internal/live-span-reporter.js';

export { CairnSpan, usageAttributes, type TokenUsage } from './cairn-span.js';
export { SPAN_TYPES, type SpanType } from './span-type.js';
export { agent, llm, tool, retrieval, embedding, reranker, guardrail, evaluation, voice, chain, step } from './typed-spans.js';
export { observe, type ObserveOptions } from './observe.js';
export {
  promptAttributes,
  templateHash,
  type AgentOptions,
  type ChainOptions,
  type EmbeddingOptions,
  type EvaluationOptions,
  type GuardrailOptions,
  type LlmOptions,
  type PromptReference,
  type RerankerOptions,
  type RetrievalOptions,
  type ToolOptions,
  type VoiceOptions,
} from './span-options.js';
export { session, user } from './session-context.js';
export { events, EVENT_NAMES } from './events.js';

export { injectContext, extractContext, withExtractedContext, type Carrier } from './propagation/carrier.js';
export { tracedFetch } from './propagation/traced-fetch.js';
export { cairnHttpMiddleware, traceHttpHandler } from './propagation/http-middleware.js';
export { sendMessage, processMessage, injectA2AMetadata, withA2AContext, injectMcpMeta, withMcpContext, type MessageDestination } from './propagation/messaging.js';
export { linkTo, linkToActive, inNewTrace } from './propagation/links.js';

export { createRedactor, DENIED_VALUE, type RedactionOptions, type RedactionRule, type Redactor } from './redaction/redactor.js';
export { BUILT_IN_DETECTORS, luhnValid, ibanValid, type Detector, type DetectorName } from './redaction/detectors.js';
export { RedactingSpanExporter } from './redaction/redacting-span-exporter.js';

export { wrapOpenAI, type WrapOpenAIOptions } from './wrappers/wrap-openai.js';
export { wrapAnthropic, type WrapAnthropicOptions } from './wrappers/wrap-anthropic.js';
