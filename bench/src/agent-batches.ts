// Realistic agent spans for the benchmarks, recorded with the real OpenTelemetry SDK and encoded
// with its own protobuf serializer — the bytes an OTel exporter would send. Each batch holds whole
// traces (an agent, its LLM calls with messages, tool calls and retrieval), ~1 KB per span.
//
// Re-sending a batch needs fresh ids (or the store dedupes it away): `withFreshTraceIds` copies a
// batch and rewrites every occurrence of its trace ids, found once, at their byte offsets.

import type { SpanRecord } from '@cairn/model';
import { decodeTracesProtobuf } from '@cairn/otlp';
import { normalizeSpan } from '@cairn/semantic';
import { ROOT_CONTEXT, SpanKind, trace, type Tracer } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

export interface EncodedBatch {
  body: Uint8Array;
  spanCount: number;
  /** Byte offsets of each trace id inside body, per trace. */
  traceIdOffsets: number[][];
}

const WORDS = 'the agent reads the ticket checks the order history calls the refund tool and writes a short friendly answer to the customer about shipping delays and policy'.split(' ');

function sentence(seed: number, words: number): string {
  let text = '';
  for (let index = 0; index < words; index++) text += `${WORDS[(seed * 7 + index * 13) % WORDS.length]} `;
  return text.trim();
}

const MODELS = ['gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4', 'gemini-2.5-flash'];
const TOOLS = ['web_search', 'lookup_order', 'issue_refund', 'run_sql', 'send_email'];
const AGENTS = ['orchestrator', 'researcher', 'writer', 'billing'];

/** Records one agent trace of about `spanCount` spans. */
function recordTrace(tracer: Tracer, seed: number, spanCount: number): void {
  const startMs = Date.now() - 60_000;
  const session = { 'gen_ai.conversation.id': `session-${seed % 97}`, 'user.id': `user-${seed % 31}` };
  const root = tracer.startSpan(`invoke_agent ${AGENTS[0]}`, { kind: SpanKind.SERVER, startTime: startMs, attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': AGENTS[0]!, ...session } }, ROOT_CONTEXT);
  const rootContext = trace.setSpan(ROOT_CONTEXT, root);
  let emitted = 1;
  let clock = startMs + 5;
  while (emitted < spanCount) {
    const agentName = AGENTS[1 + (emitted % 3)]!;
    const agent = tracer.startSpan(`invoke_agent ${agentName}`, { startTime: clock, attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': agentName, ...session } }, rootContext);
    const agentContext = trace.setSpan(ROOT_CONTEXT, agent);
    emitted++;
    for (let step = 0; step < 4 && emitted < spanCount; step++, emitted++) {
      const model = MODELS[(seed + emitted) % MODELS.length]!;
      if (step % 2 === 0) {
        const llm = tracer.startSpan(`chat ${model}`, {
          kind: SpanKind.CLIENT,
          startTime: clock,
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': model.startsWith('claude') ? 'anthropic' : model.startsWith('gemini') ? 'gcp.gemini' : 'openai',
            'gen_ai.request.model': model,
            'gen_ai.response.model': model,
            'gen_ai.usage.input_tokens': 200 + ((seed * 31 + emitted) % 900),
            'gen_ai.usage.output_tokens': 20 + ((seed + emitted) % 200),
            'gen_ai.response.finish_reasons': ['stop'],
            'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: sentence(seed + emitted, 110) }] }]),
            'gen_ai.output.messages': JSON.stringify([{ role: 'assistant', parts: [{ type: 'text', content: sentence(seed + emitted + 1, 70) }], finish_reason: 'stop' }]),
            ...session,
          },
        }, agentContext);
        clock += 300 + (emitted % 500);
        llm.end(clock);
      } else {
        const tool = TOOLS[(seed + emitted) % TOOLS.length]!;
        const span = tracer.startSpan(`execute_tool ${tool}`, { startTime: clock, attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': tool, 'gen_ai.tool.call.id': `call_${seed}_${emitted}`, 'gen_ai.tool.call.arguments': JSON.stringify({ query: sentence(seed, 8) }), 'gen_ai.tool.call.result': JSON.stringify({ rows: 3, text: sentence(seed + 3, 25) }) } }, agentContext);
        clock += 50 + (emitted % 200);
        span.end(clock);
      }
    }
    agent.end(clock);
  }
  root.end(clock + 5);
}

/** Encodes `batchCount` batches of about `spansPerBatch` spans each (traces of `spansPerTrace`). */
export function encodeAgentBatches(batchCount: number, spansPerBatch: number, spansPerTrace = 50): EncodedBatch[] {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'support-bot', 'service.version': '2.3.0', 'deployment.environment.name': 'bench' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('cairn-bench', '0.1.0');
  const batches: EncodedBatch[] = [];
  let seed = 0;
  for (let batchIndex = 0; batchIndex < batchCount; batchIndex++) {
    memory.reset();
    for (let spans = 0; spans < spansPerBatch; spans += spansPerTrace) recordTrace(tracer, seed++, spansPerTrace);
    const finished = memory.getFinishedSpans();
    const body = ProtobufTraceSerializer.serializeRequest(finished)!;
    const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    const traceIds = [...new Set(finished.map((span) => span.spanContext().traceId))];
    const traceIdOffsets = traceIds.map((traceId) => {
      const needle = Buffer.from(traceId, 'hex');
      const offsets: number[] = [];
      for (let at = buffer.indexOf(needle); at !== -1; at = buffer.indexOf(needle, at + 16)) offsets.push(at);
      return offsets;
    });
    batches.push({ body, spanCount: finished.length, traceIdOffsets });
  }
  return batches;
}

/** A copy of `batch` whose traces carry new ids derived from `sequence` (unique per call). */
export function withFreshTraceIds(batch: EncodedBatch, sequence: number, salt: number): Uint8Array {
  const copy = Buffer.from(batch.body);
  batch.traceIdOffsets.forEach((offsets, traceIndex) => {
    const id = Buffer.alloc(16);
    id.writeUInt32BE(salt >>> 0, 0);
    id.writeUInt32BE(sequence >>> 0, 4);
    id.writeUInt32BE(traceIndex, 8);
    id.writeUInt32BE(0x0c41a7 ^ sequence, 12);
    for (const offset of offsets) id.copy(copy, offset);
  });
  return copy;
}

/** The batches' spans as the server stores them: decoded and normalized (project 'default'). */
export function normalizedAgentSpans(batches: readonly EncodedBatch[]): SpanRecord[] {
  return batches.flatMap((batch) => decodeTracesProtobuf(batch.body).spans.map((span) => normalizeSpan(span, { projectId: 'default', receivedUnixNano: 1n })));
}

/**
 * Gives the spans the trace ids of pass `pass` (its number as the ids' first 4 hex digits), so
 * each pass over the same records writes new traces that dedupe keeps. In place, not copied: a
 * copy of a record is no longer the normalizer's own, and the store would then keep its
 * input/output as well (see hasDerivedContent).
 */
export function renumberTraces(spans: readonly SpanRecord[], pass: number): void {
  const prefix = pass.toString(16).padStart(4, '0');
  for (const span of spans) span.traceId = prefix + span.traceId.slice(4);
}
