import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyFilters, filtersFromSearch, filtersToApiQuery, filtersToSearch, toggleSort } from '../src/model/trace-filters.js';
import { computeRowWindow, scrollTopToReveal } from '../src/model/row-window.js';
import { formatCostUsd, formatDurationMs } from '../src/model/format.js';
import { buildTranscript, parseJsonText } from '../src/model/chat-transcript.js';

describe('trace filters in the URL', () => {
  it('round-trips every filter and drops defaults', () => {
    const search = new URLSearchParams('range=1h&model=gpt-4o&agent=writer&tool=web_search&status=error&service=svc&q=refund&sort=-duration&minDurationMs=250&junk=1');
    const filters = filtersFromSearch(search);
    assert.equal(filters.text.model, 'gpt-4o');
    assert.equal(filters.status, 'error');
    assert.deepEqual(filters.sort, { field: 'duration', descending: true });
    assert.equal(filtersToSearch(filters).toString(), 'range=1h&q=refund&service=svc&model=gpt-4o&agent=writer&tool=web_search&status=error&minDurationMs=250&sort=-duration');
    assert.equal(filtersToSearch(emptyFilters()).toString(), '');
  });

  it('ignores unknown sort fields and statuses', () => {
    const filters = filtersFromSearch(new URLSearchParams('sort=-bogus&status=maybe'));
    assert.deepEqual(filters.sort, { field: 'startTime', descending: true });
    assert.equal(filters.status, null);
  });

  it('resolves the time range against now for the API and passes the cursor', () => {
    const filters = filtersFromSearch(new URLSearchParams('range=1h&tool=x'));
    const query = filtersToApiQuery(filters, 10_000_000, 'abc', 25);
    assert.equal(query.get('from'), String(10_000_000 - 3_600_000));
    assert.equal(query.get('tool'), 'x');
    assert.equal(query.get('cursor'), 'abc');
    assert.equal(query.get('limit'), '25');
    assert.equal(query.get('sort'), '-startTime');
  });

  it('sorts a new column descending first and flips the same one', () => {
    const first = toggleSort({ field: 'startTime', descending: true }, 'cost');
    assert.deepEqual(first, { field: 'cost', descending: true });
    assert.deepEqual(toggleSort(first, 'cost'), { field: 'cost', descending: false });
  });
});

describe('computeRowWindow', () => {
  it('renders only the rows in view plus overscan, at any scroll position', () => {
    assert.deepEqual(computeRowWindow(0, 280, 28, 20_000, 5), { start: 0, end: 16 });
    const end = computeRowWindow(20_000 * 28 - 280, 280, 28, 20_000, 5);
    assert.equal(end.end, 20_000);
    assert.ok(end.end - end.start < 30);
    assert.deepEqual(computeRowWindow(0, 500, 28, 0), { start: 0, end: 0 });
  });
  it('computes the scroll needed to reveal a row', () => {
    assert.equal(scrollTopToReveal(0, 100, 280, 28), 0);
    assert.equal(scrollTopToReveal(20, 0, 280, 28), 21 * 28 - 280);
    assert.equal(scrollTopToReveal(5, 0, 280, 28), null);
  });
});

describe('formatting', () => {
  it('words durations and costs', () => {
    assert.equal(formatDurationMs(0.25), '250 µs');
    assert.equal(formatDurationMs(1234), '1.23 s');
    assert.equal(formatDurationMs(3_725_000), '1h 2m');
    assert.equal(formatCostUsd(0), '–');
    assert.equal(formatCostUsd(0.0012), '$0.0012');
  });
});

describe('buildTranscript', () => {
  it('turns canonical messages into transcript entries and keeps raw payloads', () => {
    const input = [
      { role: 'system', parts: [{ type: 'text', text: 'Be brief.' }] },
      { role: 'user', parts: [{ type: 'text', text: 'Weather?' }] },
    ];
    const output = [{ role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'weather', arguments: { city: 'Oslo' } }] }];
    const entries = buildTranscript(input, output);
    assert.deepEqual(entries.map((entry) => (entry.kind === 'message' ? `${entry.role}:${entry.fromOutput}` : entry.kind)), ['system:false', 'user:false', 'assistant:true']);
    assert.deepEqual(buildTranscript('plain prompt', null), [{ kind: 'raw', label: 'input', value: 'plain prompt' }]);
  });
  it('parses JSON text but leaves other strings alone', () => {
    assert.deepEqual(parseJsonText('{"a":1}'), { a: 1 });
    assert.equal(parseJsonText('{not json'), '{not json');
    assert.equal(parseJsonText('hello'), 'hello');
  });
});
