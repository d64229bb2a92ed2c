// Cross-trace broken_trace rules on hand-built span lists: what splits a run, and what does not.

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { buildSpanRecord } from '@cairn/storage/conformance';
import type { StoredSpan } from '@cairn/storage';
import { findCrossTraceBreaks, type SessionTrace } from '../src/analytics/cross-trace-breaks.js';

const MS = 1_000_000n;
const T = 1_768_471_200_000n * MS;

function span(traceId: string, fields: Partial<StoredSpan> & { startMs: number; endMs: number }): StoredSpan {
  const { startMs, endMs, ...rest } = fields;
  const { input: _input, output: _output, ...stored } = buildSpanRecord({ traceId, spanType: 'other', startTimeUnixNano: T + BigInt(startMs) * MS, endTimeUnixNano: T + BigInt(endMs) * MS, ...rest });
  return stored;
}

function callerAndCallee(calleeStartMs: number, clientFields: Partial<StoredSpan> = {}): [SessionTrace, SessionTrace, StoredSpan, StoredSpan] {
  const root = span('a'.repeat(32), { name: 'checkout', startMs: 0, endMs: 1000 });
  const client = span(root.traceId, { name: 'POST /billing', kind: 3, parentSpanId: root.spanId, startMs: 100, endMs: 600, ...clientFields });
  const server = span('b'.repeat(32), { name: 'POST /billing', kind: 2, startMs: calleeStartMs, endMs: calleeStartMs + 300 });
  return [{ traceId: root.traceId, spans: [root, client] }, { traceId: server.traceId, spans: [server] }, client, server];
}

test('a server root that started during a childless client call of a session peer breaks both traces', () => {
  const [caller, callee, client, server] = callerAndCallee(150);
  const fromCallee = findCrossTraceBreaks(callee, [caller]);
  assert.deepEqual(fromCallee.partners, [caller.traceId]);
  assert.deepEqual(fromCallee.findings.map((finding) => [finding.kind, finding.spanIds]), [['broken_trace', [server.spanId]]]);
  const fromCaller = findCrossTraceBreaks(caller, [callee]);
  assert.deepEqual(fromCaller.findings.map((finding) => finding.spanIds), [[client.spanId]]);
  assert.match(fromCaller.findings[0]!.message, /^"POST \/billing" has no children here; its callee "POST \/billing" started trace bbbbbbbb/);
});

test('no finding when the callee started long after the call, or the call was a model call, or it has children', () => {
  assert.deepEqual(findCrossTraceBreaks(callerAndCallee(5_000)[1], [callerAndCallee(5_000)[0]]).findings, []);
  const [caller, callee] = callerAndCallee(150, { spanType: 'llm' });
  assert.deepEqual(findCrossTraceBreaks(callee, [caller]).findings, []);
  const [withChild, other, client] = callerAndCallee(150);
  const child = span(withChild.traceId, { name: 'retry', parentSpanId: client.spanId, startMs: 200, endMs: 300 });
  assert.deepEqual(findCrossTraceBreaks(other, [{ ...withChild, spans: [...withChild.spans, child] }]).findings, []);
});

test('spans whose parent id is a span of a session peer break both traces', () => {
  const [caller, , client] = callerAndCallee(150);
  const adopted = span('c'.repeat(32), { name: 'handle', parentSpanId: client.spanId, startMs: 200, endMs: 300 });
  const moved = { traceId: adopted.traceId, spans: [adopted] };
  assert.deepEqual(findCrossTraceBreaks(moved, [caller]).findings.map((finding) => finding.spanIds), [[adopted.spanId]]);
  const mirrored = findCrossTraceBreaks(caller, [moved]);
  assert.deepEqual(mirrored.findings.map((finding) => finding.spanIds), [[client.spanId]]);
  assert.deepEqual(mirrored.partners, [moved.traceId]);
});
