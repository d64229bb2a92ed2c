// aggregateMetrics on DuckDB beyond the shared conformance cases: the time-containment fallback
// of the agent grouping (per model call, inside its own trace) and the prompt-version read.

import { strict as assert } from 'node:assert';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { TraceStore } from '@cairn/storage';
import { NS_PER_HOUR, T0 } from '@cairn/storage/conformance';
import { openDuckDbStore } from '../src/index.js';
import { byKey, call, span } from './support/metric-spans.js';



describe('aggregateMetrics on DuckDB', () => {
  let dir: string;
  let store: TraceStore;
  const query = { projectId: 'default', fromUnixNano: T0 - NS_PER_HOUR, toUnixNano: T0 + NS_PER_HOUR };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cairn-duckdb-metrics-'));
    store = await openDuckDbStore({ dataDir: dir });
    // planner [0, 10 s] ⊃ step (a chain span, not an agent) [1, 9 s] and critic [3, 5 s].
    const planner = span(null, null, 0n, 10n, { spanType: 'agent', agentName: 'planner' });
    const step = span(planner, planner, 1n, 9n, { spanType: 'chain' });
    const critic = span(planner, planner, 3n, 5n, { spanType: 'agent', agentName: 'critic' });
    // Another trace's agent covers every call in time, and must never take one.
    const intruder = span(null, null, 0n, 20n, { spanType: 'agent', agentName: 'intruder' });
    await store.write({
      spans: [
        planner,
        step,
        critic,
        intruder,
        // Two calls under the same non-agent parent, each enclosed by a different innermost agent.
        call(planner, step, 4n, 1),
        call(planner, step, 6n, 2),
        call(planner, step, 4n, 4, { agentName: 'self' }),
        // Its parent is an agent: that wins over time (it starts after the critic ended).
        call(planner, critic, 8n, 8),
        // No agent of its trace encloses it.
        call(planner, null, 15n, 16),
        call(planner, step, 2n, 32, { attributes: { 'gen_ai.prompt.version': 7n } }),
        call(planner, step, 2n, 64, { attributes: { 'langfuse.observation.prompt.version': 'v9', note: 'not a "version"' } }),
        call(planner, step, 2n, 128, { attributes: { note: 'see "gen_ai.prompt.version"' } }),
      ],
      events: [],
    });
  });
  after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('gives a model call without own or parent agent to the innermost agent of its trace enclosing its start', async () => {
    assert.deepEqual(byKey(await store.aggregateMetrics({ ...query, groupBy: 'agent' })), {
      critic: [1, 1 + 8],
      planner: [1, 2 + 32 + 64 + 128],
      self: [0, 4],
      intruder: [1, 0],
      '(none)': [0, 16],
    });
  });

  it('reads the prompt version from the first key present, ints included, and only from keys', async () => {
    assert.deepEqual(byKey(await store.aggregateMetrics({ ...query, groupBy: 'promptVersion' })), {
      '7': [1, 32],
      v9: [1, 64],
      '(none)': [6, 1 + 2 + 4 + 8 + 16 + 128],
    });
  });
});
