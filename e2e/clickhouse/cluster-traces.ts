// Small agent traces for the ClickHouse cluster tests, sent as OTLP/JSON.

import { randomBytes } from 'node:crypto';
import type { CairnProcess } from '../support/cairn-process.js';

export interface TestSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  startNs: bigint;
  /** Model of an LLM child (null: the root, or a tool child). */
  model: string | null;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/**
 * A root and `spansPerTrace - 1` children starting a few minutes ago (inside the default
 * window): LLM calls of `childModel`, or tool calls when it is null.
 */
export function buildTrace(index: number, spansPerTrace: number, childModel: string | null): TestSpan[] {
  const traceId = hex(16);
  const rootId = hex(8);
  const start = BigInt(Date.now() - 5 * 60_000 + index * 10) * 1_000_000n;
  const spans: TestSpan[] = [{ traceId, spanId: rootId, parentSpanId: '', name: `agent run ${index}`, startNs: start, model: null }];
  for (let child = 1; child < spansPerTrace; child++) {
    const name = childModel === null ? `tool ${child}` : `chat ${child}`;
    spans.push({ traceId, spanId: hex(8), parentSpanId: rootId, name, startNs: start + BigInt(child) * 1_000_000n, model: childModel });
  }
  return spans;
}

function otlpJson(spans: TestSpan[], serviceName: string): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: serviceName } }] },
        scopeSpans: [
          {
            scope: { name: 'e2e' },
            spans: spans.map((span) => ({
              traceId: span.traceId,
              spanId: span.spanId,
              ...(span.parentSpanId === '' ? {} : { parentSpanId: span.parentSpanId }),
              name: span.name,
              kind: 1,
              startTimeUnixNano: span.startNs.toString(),
              endTimeUnixNano: (span.startNs + 500_000n).toString(),
              attributes:
                span.model === null
                  ? []
                  : [
                      { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
                      { key: 'gen_ai.request.model', value: { stringValue: span.model } },
                      { key: 'gen_ai.usage.input_tokens', value: { intValue: '100' } },
                      { key: 'gen_ai.usage.output_tokens', value: { intValue: '20' } },
                    ],
            })),
          },
        ],
      },
    ],
  });
}

/** Posts the spans to a Cairn server's OTLP/HTTP receiver; the response with its body read. */
export async function postSpans(cairn: CairnProcess, spans: TestSpan[], serviceName: string): Promise<Response> {
  const response = await fetch(`${cairn.otlpHttpUrl}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: otlpJson(spans, serviceName) });
  await response.arrayBuffer();
  return response;
}
