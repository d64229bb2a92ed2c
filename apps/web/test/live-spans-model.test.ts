import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiTraceDetail, ApiTraceSummary } from '../src/api/api-types.js';
import { elapsedNowMs, withLiveSpansToNow } from '../src/model/live-spans.js';
import { buildSpanTree } from '../src/model/span-tree.js';
import { BASE_NS, span } from './support/api-span.js';

const BASE_MS = Number(BASE_NS / 1_000_000n);

function trace(spans: ApiTraceDetail['spans'], durationMs: number): ApiTraceDetail {
  const summary = { traceId: 't'.repeat(32), startTimeUnixNano: BASE_NS.toString(), durationMs } as ApiTraceSummary;
  return { summary, spans, placeholders: [] };
}

describe('live spans in the trace view', () => {
  it('draws a running span up to now and stretches the trace to match', () => {
    const running = trace([span('root', null, 0, 2_000, { live: true }), span('done', 'root', 100, 500)], 2_000);
    const now = withLiveSpansToNow(running, BASE_MS + 5_000);
    assert.equal(now.spans[0]!.durationMs, 5_000);
    assert.equal(now.spans[0]!.endTimeUnixNano, (BASE_NS + 5_000_000_000n).toString());
    assert.equal(now.spans[1], running.spans[1], 'finished spans are kept as they are');
    assert.equal(now.summary.durationMs, 5_000);
    const tree = buildSpanTree(now.spans);
    assert.equal(tree.traceDurationMs, 5_000, 'the timeline runs to now');
    assert.equal(tree.byId.get('root')!.durationMs, 5_000);
  });

  it('never draws a running span shorter than its last report, and leaves finished traces alone', () => {
    const running = trace([span('root', null, 0, 8_000, { live: true })], 8_000);
    assert.equal(withLiveSpansToNow(running, BASE_MS + 1_000).spans[0]!.durationMs, 8_000, 'a client clock behind the server does not shrink the bar');
    const finished = trace([span('root', null, 0, 8_000)], 8_000);
    assert.equal(withLiveSpansToNow(finished, BASE_MS + 60_000), finished);
  });

  it('ticks the elapsed time of the Running now panel from the fetch', () => {
    assert.equal(elapsedNowMs({ elapsedMs: 12_000 }, 1_000, 3_500), 14_500);
    assert.equal(elapsedNowMs({ elapsedMs: 12_000 }, 1_000, 900), 12_000);
  });
});
