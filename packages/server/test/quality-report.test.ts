// The quality report's rules on store statistics: what counts as an issue, and nothing else.

import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { ServiceQualityStats } from '@cairn/storage';
import { buildQualityReport } from '../src/analytics/quality-report.js';

const none = { count: 0, exampleTraceId: null, exampleSpanName: null };
const clean: ServiceQualityStats = {
  service: 'api',
  spans: 500,
  traces: 20,
  namePatterns: [],
  modelCalls: 40,
  modelCallsWithoutModel: none,
  modelCallsWithoutTokens: none,
  modelCallsWithoutPromptVersion: none,
  monolithicSpans: none,
  orphanSpans: none,
  multiRootTraces: none,
};

test('a clean service has no issues', () => {
  assert.deepEqual(buildQualityReport([clean])[0]!.issues, []);
});

test('name patterns flag above 100 distinct names, or from 10 when an id was masked', () => {
  const pattern = (value: string, distinctNames: number) => ({ pattern: value, distinctNames, spans: distinctNames, exampleName: 'x', exampleTraceId: 't' });
  const report = buildQualityReport([
    { ...clean, namePatterns: [pattern('GET /orders/{id}', 12), pattern('step {id}', 9), pattern('chat gpt-{id}o', 3), pattern('render template', 101)] },
  ]);
  assert.deepEqual(report[0]!.issues.map((issue) => [issue.kind, issue.count]), [
    ['high_cardinality_span_names', 12],
    ['high_cardinality_span_names', 101],
  ]);
});

test('missing model, tokens, prompt version and propagation each become an issue with the example and a fix', () => {
  const example = { count: 3, exampleTraceId: 'abc', exampleSpanName: 'chat' };
  const report = buildQualityReport([{ ...clean, modelCallsWithoutTokens: example, orphanSpans: { ...example, count: 1 }, multiRootTraces: { ...example, count: 2 } }]);
  const issues = report[0]!.issues;
  assert.deepEqual(issues.map((issue) => [issue.kind, issue.count, issue.severity]), [
    ['model_call_without_tokens', 3, 'warning'],
    ['orphan_spans', 1, 'warning'],
    ['multiple_roots', 2, 'warning'],
  ]);
  assert.equal(issues[0]!.message, '3 of 40 model calls report no token usage');
  assert.equal(issues[0]!.exampleTraceId, 'abc');
  assert.match(issues[1]!.fix, /traceparent/);
});
