// Data shaping of the dashboard, quality, diff and compare features: pure functions, no DOM.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ApiMetricsRow, ApiToolCallStep, ApiTraceDiff } from '../src/api/api-types.js';
import { toggleCompareSelection } from '../src/model/compare-selection.js';
import { toCsv, TRACE_CSV_COLUMNS } from '../src/model/csv.js';
import { chartWindow, dashboardFromSearch, dashboardToSearch, intervalForRange, metricsApiQuery, traceListHrefForFinding } from '../src/model/dashboard-state.js';
import { bucketStarts, buildChartData, niceTicks } from '../src/model/metrics-chart.js';
import { metricsTotals, sortMetricsRows } from '../src/model/metrics-table.js';
import { alignmentRows, formatDelta, toolStepRows, totalRows } from '../src/model/trace-diff-view.js';

const HOUR = 3_600_000;
const T = Date.UTC(2026, 0, 15, 10);

function row(key: string | null, bucketMs: number | null, fields: Partial<ApiMetricsRow> = {}): ApiMetricsRow {
  return {
    key,
    ...(bucketMs === null ? {} : { bucket: new Date(bucketMs).toISOString(), bucketUnixNano: `${bucketMs}000000` }),
    calls: 1, errors: 0, errorRate: 0, inputTokens: 100, outputTokens: 10, costUsd: 0.01, p50Ms: 200, p95Ms: 400, p99Ms: 500,
    ...fields,
  };
}

describe('CSV export', () => {
  it('quotes commas, quotes and line breaks, and defuses formula cells', () => {
    const csv = toCsv([{ header: 'name', value: (value: string) => value }, { header: 'n', value: () => 1.5 }], ['plain', 'a,b', 'say "hi"', 'two\nlines', '=HYPERLINK("x")', '-1']);
    assert.equal(csv, 'name,n\r\nplain,1.5\r\n"a,b",1.5\r\n"say ""hi""",1.5\r\n"two\nlines",1.5\r\n"\'=HYPERLINK(""x"")",1.5\r\n\'-1,1.5\r\n');
  });

  it('exports trace summaries with one header per column', () => {
    const header = toCsv(TRACE_CSV_COLUMNS, []).trim().split(',');
    assert.deepEqual(header.slice(0, 3), ['trace_id', 'start_time', 'root_name']);
    assert.ok(header.includes('cost_usd'));
  });
});

describe('metrics charts', () => {
  it('fills every bucket of the window: 0 for sums, gaps for percentiles and rates', () => {
    const window = { fromMs: T, toMs: T + 3 * HOUR, intervalMs: HOUR };
    const rows = [row('gpt', T), row('gpt', T + 2 * HOUR, { inputTokens: 300, calls: 2, errors: 1 }), row('claude', T + HOUR, { calls: 5 })];
    const tokens = buildChartData(rows, 'tokens', window);
    assert.deepEqual(tokens.bucketsMs, [T, T + HOUR, T + 2 * HOUR]);
    assert.deepEqual(tokens.series.map((series) => [series.label, series.values]), [
      ['claude', [0, 110, 0]],
      ['gpt', [110, 0, 310]],
    ]);
    assert.equal(tokens.maxValue, 310);
    assert.deepEqual(buildChartData(rows, 'p95Ms', window).series[1]!.values, [400, null, 400]);
    assert.deepEqual(buildChartData(rows, 'errorRate', window).series[1]!.values, [0, null, 0.5]);
  });

  it('keeps the top groups by calls and labels the missing key', () => {
    const rows = [row(null, T, { calls: 0, inputTokens: 9000 }), ...['a', 'b', 'c'].map((key, index) => row(key, T, { calls: 10 - index }))];
    const data = buildChartData(rows, 'calls', { fromMs: T, toMs: T + HOUR, intervalMs: HOUR }, 3);
    assert.deepEqual(data.series.map((series) => series.label), ['a', 'b', 'c']);
    assert.deepEqual(buildChartData(rows, 'calls', { fromMs: T, toMs: T + HOUR, intervalMs: HOUR }).series.at(-1)!.label, '(none)');
  });

  it('aligns buckets to the interval and picks round ticks', () => {
    assert.deepEqual(bucketStarts(T + 90_000, T + 3 * 60_000, 60_000), [T + 60_000, T + 120_000]);
    assert.deepEqual(niceTicks(310), [0, 100, 200, 300, 400]);
    assert.deepEqual(niceTicks(0.0042), [0, 0.002, 0.004, 0.006]);
    assert.deepEqual(niceTicks(0), [0, 1]);
  });

  it('sorts the table by calls and totals it', () => {
    const rows = [row('x', null, { calls: 1 }), row(null, null, { calls: 0, inputTokens: 50 }), row('y', null, { calls: 4, errors: 1 })];
    assert.deepEqual(sortMetricsRows(rows).map((entry) => entry.key), ['y', 'x', null]);
    assert.deepEqual(metricsTotals(rows), { calls: 5, errors: 1, tokens: 280, costUsd: 0.03 });
  });
});

describe('dashboard state', () => {
  it('round-trips grouping and filters through the URL and asks for buckets that fit the range', () => {
    const state = dashboardFromSearch(new URLSearchParams('range=7d&groupBy=agent&model=gpt-4o&finding=tool_loop&sort=-cost'));
    assert.equal(state.groupBy, 'agent');
    assert.equal(dashboardToSearch(state).toString(), 'range=7d&model=gpt-4o&finding=tool_loop&groupBy=agent');
    const query = metricsApiQuery(state, T, true);
    assert.equal(query.get('interval'), '1h');
    assert.equal(query.get('finding'), 'tool_loop');
    assert.equal(query.get('limit'), null);
    assert.equal(query.get('from'), String(T - 7 * 24 * HOUR));
    assert.equal(metricsApiQuery(state, T, false).get('interval'), null);
    assert.deepEqual([intervalForRange('1h').interval, intervalForRange('24h').interval, intervalForRange('30d').interval], ['1m', '1h', '1d']);
    assert.equal(chartWindow(state, T).intervalMs, HOUR);
    assert.equal(dashboardFromSearch(new URLSearchParams('groupBy=colour')).groupBy, 'model');
  });

  it('links a finding count to the trace list with the same filters', () => {
    const { filters } = dashboardFromSearch(new URLSearchParams('range=1h&service=api'));
    assert.equal(traceListHrefForFinding(filters, 'retry_storm'), '/traces?range=1h&service=api&finding=retry_storm');
  });
});

describe('compare and diff', () => {
  it('keeps the last two picks in order; picking again unselects', () => {
    assert.deepEqual(toggleCompareSelection(['a', 'b'], 'c'), ['b', 'c']);
    assert.deepEqual(toggleCompareSelection(['a', 'b'], 'a'), ['b']);
    assert.deepEqual(toggleCompareSelection([], 'a'), ['a']);
  });

  const step = (toolName: string, args = '{}'): ApiToolCallStep => ({ spanId: `${toolName}${args}`, toolName, arguments: args, status: 'unset' });

  it('lines up tool calls side by side: equal calls match, a swapped call is changed, an inserted one leaves a gap', () => {
    const rows = toolStepRows([step('search'), step('lookup', '{"id":1}'), step('answer')], [step('search'), step('extra'), step('lookup', '{"id":2}'), step('answer')]);
    assert.deepEqual(rows.map((entry) => [entry.kind, entry.a?.toolName ?? null, entry.b?.toolName ?? null]), [
      ['same', 'search', 'search'],
      ['changed', 'lookup', 'extra'],
      ['added', null, 'lookup'],
      ['same', 'answer', 'answer'],
    ]);
    assert.deepEqual(toolStepRows([], []), []);
  });

  it('lists changed, added and removed spans first, and totals with signed deltas', () => {
    const alignment = (label: string) => ({ path: `tool:${label}#0`, spanType: 'tool', label, a: 'a', b: 'b', changes: [], deltas: { durationMs: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 } });
    const totals = { spanCount: 3, errorCount: 0, modelCalls: 1, toolCalls: 2, durationMs: 1000, inputTokens: 10, outputTokens: 5, costUsd: 0.5 };
    const diff: ApiTraceDiff = {
      a: 'a', b: 'b',
      added: [alignment('new')], removed: [alignment('old')], changed: [alignment('swapped')], unchanged: [alignment('same')],
      toolCalls: { a: [], b: [] },
      totals: { a: totals, b: { ...totals, durationMs: 1500 }, delta: { ...totals, spanCount: 0, errorCount: 0, modelCalls: 0, toolCalls: 0, durationMs: 500, inputTokens: 0, outputTokens: 0, costUsd: -0.25 } },
    };
    assert.deepEqual(alignmentRows(diff).map((entry) => [entry.status, entry.label]), [['changed', 'swapped'], ['added', 'new'], ['removed', 'old']]);
    assert.equal(alignmentRows(diff, true).length, 4);
    const duration = totalRows(diff).find((entry) => entry.field === 'durationMs')!;
    assert.deepEqual([duration.a, duration.b, duration.delta], [1000, 1500, 500]);
    assert.equal(formatDelta(500, (value) => `${value} ms`), '+500 ms');
    assert.equal(formatDelta(-0.25, String), '−0.25');
    assert.equal(formatDelta(0, String), '±0');
  });
});
