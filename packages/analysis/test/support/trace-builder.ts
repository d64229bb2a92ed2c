// Builds realistic span trees for the analysis tests: full SpanRecords from the conformance
// builder, placed on a millisecond timeline relative to T0 with readable ids.

import type { SpanRecord, SpanType } from '@cairn/model';
import { buildSpanRecord, nextTraceId } from '@cairn/storage/conformance';

export const T0 = 1_763_700_000_000n * 1_000_000n;
export const ms = (millis: number) => T0 + BigInt(Math.round(millis * 1e6));

export interface SpanSpec extends Partial<SpanRecord> {
  /** Short readable id, turned into a 16-hex span id. */
  id: string;
  parent?: string | null;
  type?: SpanType;
  at: number;
  end: number;
  /** Tool-call arguments (JSON text) for tool spans. */
  args?: string;
  inputTokens?: number;
  error?: string;
}

export function hexId(id: string): string {
  return Buffer.from(id).toString('hex').padStart(16, '0').slice(-16);
}

export class TraceBuilder {
  readonly traceId = nextTraceId();
  readonly spans: SpanRecord[] = [];

  add(spec: SpanSpec): SpanRecord {
    const { id, parent, type, at, end, args, inputTokens, error, ...overrides } = spec;
    const spanType = type ?? 'other';
    const base = buildSpanRecord({ spanType });
    const record = buildSpanRecord({
      spanType,
      traceId: this.traceId,
      spanId: hexId(id),
      parentSpanId: parent === undefined || parent === null ? null : hexId(parent),
      startTimeUnixNano: ms(at),
      endTimeUnixNano: ms(end),
      name: overrides.name ?? (spanType === 'other' ? id : base.name),
      ...(args === undefined
        ? {}
        : { attributes: { ...base.attributes, 'gen_ai.tool.call.arguments': args }, inputPreview: args }),
      ...(inputTokens === undefined ? {} : { usage: { ...base.usage, inputTokens } }),
      ...(error === undefined ? {} : { status: { code: 'error' as const, message: error } }),
      ...overrides,
    });
    this.spans.push(record);
    return record;
  }

  agent(id: string, parent: string | null, at: number, end: number, agentName: string, extra: Partial<SpanSpec> = {}) {
    return this.add({ id, parent, at, end, type: 'agent', agentName, name: `invoke_agent ${agentName}`, ...extra });
  }

  llm(id: string, parent: string, at: number, end: number, extra: Partial<SpanSpec> = {}) {
    return this.add({ id, parent, at, end, type: 'llm', ...extra });
  }

  tool(id: string, parent: string, at: number, end: number, toolName: string, args: string, extra: Partial<SpanSpec> = {}) {
    return this.add({ id, parent, at, end, type: 'tool', toolName, name: `execute_tool ${toolName}`, args, ...extra });
  }
}

export const idOf = hexId;
export const idsOf = (...ids: string[]) => ids.map(hexId);
