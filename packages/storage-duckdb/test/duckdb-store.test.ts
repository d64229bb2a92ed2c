// DuckDB-specific behaviour: clear errors when the file is locked or unreadable, and
// acknowledged writes surviving a kill -9 of the writing process.

import { strict as assert } from 'node:assert';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { SpanRecord } from '@cairn/model';
import { DuckDBInstance } from '@duckdb/node-api';
import type { WriteBatch, WritePreparer } from '@cairn/storage';
import { StoreError } from '@cairn/storage';
import { buildAgentTrace } from '@cairn/storage/conformance';
import { openDuckDbStore } from '../src/index.js';

const CHILD = fileURLToPath(new URL('./fixtures/hold-store.ts', import.meta.url));
const END_WITH_READS = fileURLToPath(new URL('./fixtures/end-with-reads.ts', import.meta.url));
const dirs: string[] = [];
after(async () => {
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-duckdb-store-'));
  dirs.push(dir);
  return dir;
}

/** Starts the child holding the store; resolves with its ready line. */
function holdStore(dataDir: string, mode: 'write' | 'open'): Promise<{ child: ChildProcess; traceId: string | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n')[0];
      if (output.includes('\n') && line) resolve({ child, ...(JSON.parse(line) as { traceId: string | null }) });
    });
    child.on('exit', (code) => reject(new Error(`child exited with ${code}: ${errors}`)));
  });
}

/** Runs the end-with-reads child to its end: exit code, signal and stderr. */
function endWithReads(dataDir: string, mode: 'close' | 'exit' | 'never'): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', END_WITH_READS, dataDir, mode], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.on('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('openDuckDbStore', () => {
  it('refuses a database locked by another process, naming the file and what to do', async () => {
    const dir = await freshDir();
    const { child } = await holdStore(dir, 'open');
    try {
      await assert.rejects(openDuckDbStore({ dataDir: dir }), (error: unknown) => {
        assert.ok(error instanceof StoreError);
        assert.equal(error.code, 'store_unavailable');
        assert.match(error.message, /cairn\.duckdb/);
        assert.match(error.message, new RegExp(`locked by process ${child.pid}`));
        assert.match(error.message, /--data-dir/);
        return true;
      });
    } finally {
      await killHard(child);
    }
  });

  it('keeps acknowledged writes when the writing process is killed with SIGKILL', async () => {
    const dir = await freshDir();
    const { child, traceId } = await holdStore(dir, 'write');
    await killHard(child);
    const store = await openDuckDbStore({ dataDir: dir });
    try {
      const trace = await store.getTrace('default', traceId!);
      assert.ok(trace, 'the acknowledged trace is there after kill -9');
      assert.equal(trace.spans.length, 6);
      assert.equal(trace.summary.sessionId, 'crash-test');
    } finally {
      await store.close();
    }
  });

  it('refuses a second open of the same directory in one process until the first is closed', async () => {
    const dir = await freshDir();
    const first = await openDuckDbStore({ dataDir: dir });
    await assert.rejects(openDuckDbStore({ dataDir: dir }), { name: 'StoreError', code: 'store_unavailable' });
    await first.write({ spans: buildAgentTrace(), events: [] });
    await first.close();
    const second = await openDuckDbStore({ dataDir: dir });
    assert.equal((await second.stats()).spanCount, 6);
    await second.close();
  });

  it('runs DuckDB with the threads and memory limit it was given, and says so in its description', async () => {
    const dir = await freshDir();
    const store = await openDuckDbStore({ dataDir: dir, threads: 2, memoryLimit: '200MB' });
    try {
      // DuckDB reads MB as 10^6 bytes and reports MiB.
      assert.match(store.description, /^duckdb \d+\.\d+\.\d+ \(2 threads, memory limit 190\.7 MiB\)$/);
    } finally {
      await store.close();
    }
    const defaults = await openDuckDbStore({ dataDir: dir, threads: 1 });
    try {
      assert.match(defaults.description, /\(1 thread, memory limit 366\.2 MiB\)$/);
    } finally {
      await defaults.close();
    }
  });

  it('finds a span that finishes while it is being read, instead of answering that it does not exist', async () => {
    const store = await openDuckDbStore({ dataDir: await freshDir() });
    try {
      const [, tool] = buildAgentTrace();
      await store.write({ spans: [], events: [], liveSpans: [{ ...tool!, endTimeUnixNano: tool!.startTimeUnixNano }] });
      // The finished span commits after getSpan missed it among the stored spans and before it
      // looks for the running one (which then counts as finished): the moment a viewer polling a
      // running span hit a 404 in the browser test.
      const live = (store as unknown as { live: { unfinishedSpan: (...args: string[]) => Promise<unknown> } }).live;
      const unfinishedSpan = live.unfinishedSpan.bind(live);
      let finishing = true;
      live.unfinishedSpan = async (...args) => {
        if (finishing) {
          finishing = false;
          await store.write({ spans: [tool!], events: [] });
        }
        return unfinishedSpan(...args);
      };
      const detail = await store.getSpan(tool!.projectId, tool!.traceId, tool!.spanId);
      assert.equal(finishing, false, 'the span finished during the read');
      assert.equal(detail?.spanId, tool!.spanId);
      assert.equal(detail?.endTimeUnixNano, tool!.endTimeUnixNano, 'the finished span');
      assert.equal(await store.getSpan(tool!.projectId, tool!.traceId, 'ffffffffffffffff'), null, 'an unknown span is still not found');
    } finally {
      await store.close();
    }
  });

  it('explains a file that is not a database', async () => {
    const dir = await freshDir();
    await writeFile(join(dir, 'cairn.duckdb'), 'this is not a database file, just some text'.repeat(200));
    await assert.rejects(openDuckDbStore({ dataDir: dir }), (error: unknown) => {
      assert.ok(error instanceof StoreError);
      assert.equal(error.code, 'store_unavailable');
      assert.match(error.message, /cannot open .*cairn\.duckdb/);
      assert.match(error.message, /--data-dir/);
      return true;
    });
  });

  it('ends the process cleanly while reads are in flight: on close, on process.exit, and never closed', async () => {
    const modes = ['close', 'exit', 'never', 'close', 'exit', 'never'] as const;
    const dirs = await Promise.all(modes.map(() => freshDir()));
    const outcomes = await Promise.all(modes.map((mode, index) => endWithReads(dirs[index]!, mode)));
    outcomes.forEach((outcome, index) => {
      assert.doesNotMatch(outcome.stderr, /terminate called|Napi::Error/, `${modes[index]}: native abort`);
      assert.deepEqual([outcome.code, outcome.signal], [0, null], `${modes[index]}: ${outcome.stderr}`);
    });
  });

  it('writes prepared batches in one commit, dropping stored and repeated spans and keeping the rest intact', async () => {
    const store = await openDuckDbStore({ dataDir: await freshDir() });
    try {
      const stored = buildAgentTrace({ sessionId: 'first' });
      await store.write({ spans: stored, events: [] });
      const second = buildAgentTrace({ sessionId: 'second' });
      const third = buildAgentTrace({ sessionId: 'third' });
      const first = store.prepareWrite!({ spans: [...stored.slice(0, 3), ...second], events: [] });
      const next = store.prepareWrite!({ spans: [second[1]!, ...third], events: [] });
      assert.equal(first.spanCount, 9);
      const result = await store.writePrepared!([first, next]);
      assert.deepEqual(result, { accepted: 12, deduplicated: 4, eventsAccepted: 0 });
      assert.equal((await store.stats()).spanCount, 18);
      for (const expected of [second, third]) {
        const trace = await store.getTrace('default', expected[0]!.traceId);
        assert.ok(trace);
        assert.equal(trace.summary.spanCount, 6);
        assert.equal(trace.summary.sessionId, expected[0]!.sessionId);
        const byId = new Map(trace.spans.map((span) => [span.spanId, span]));
        for (const span of expected) {
          const read = byId.get(span.spanId)!;
          assert.deepEqual(
            [read.startTimeUnixNano, read.endTimeUnixNano, read.kind, read.status, read.usage, read.costUsd, read.hasUsage, read.flags],
            [span.startTimeUnixNano, span.endTimeUnixNano, span.kind, span.status, span.usage, span.costUsd, span.hasUsage, span.flags],
          );
        }
      }
      await assert.rejects(store.writePrepared!([first]), { code: 'store_failed' });
    } finally {
      await store.close();
    }
  });

  it('finds due traces in a store written before trace parts recorded when their spans arrived', async () => {
    const dataDir = await freshDir();
    const now = BigInt(Date.now()) * 1_000_000n;
    const received = (spans: SpanRecord[], at: bigint) => spans.map((span) => ({ ...span, receivedUnixNano: at }));
    const trace = buildAgentTrace({ startUnixNano: now - 600_000_000_000n });
    const other = buildAgentTrace({ startUnixNano: now - 500_000_000_000n });
    const before = await openDuckDbStore({ dataDir });
    // The trace arrives in two requests, a minute apart.
    await before.write({ spans: received(trace.slice(0, 2), now - 300_000_000_000n), events: [] });
    await before.write({ spans: [...received(trace.slice(2), now - 240_000_000_000n), ...received(other, now - 200_000_000_000n)], events: [] });
    const due = { receivedSinceUnixNano: now - 3_600_000_000_000n, quietBeforeUnixNano: now, analysisVersion: 1, limit: 10 };
    const expected = [
      { projectId: 'default', traceId: trace[0]!.traceId, lastReceivedUnixNano: now - 240_000_000_000n },
      { projectId: 'default', traceId: other[0]!.traceId, lastReceivedUnixNano: now - 200_000_000_000n },
    ];
    assert.deepEqual(await before.listDueTraces(due), expected);
    await before.close();
    // As an older Cairn left it: parts without their received time.
    const instance = await DuckDBInstance.create(join(dataDir, 'cairn.duckdb'));
    const connection = await instance.connect();
    await connection.run('UPDATE trace_parts SET max_received_ns = NULL');
    connection.closeSync();
    instance.closeSync();
    const after = await openDuckDbStore({ dataDir });
    try {
      assert.deepEqual(await after.listDueTraces(due), expected);
      assert.deepEqual(await after.listDueTraces({ ...due, receivedSinceUnixNano: now - 220_000_000_000n }), expected.slice(1));
    } finally {
      await after.close();
    }
  });

  it('still drops spans stored before a restart when they are sent again', async () => {
    const dataDir = await freshDir();
    const trace = buildAgentTrace({ sessionId: 'before-restart' });
    const first = await openDuckDbStore({ dataDir });
    await first.write({ spans: trace, events: [] });
    await first.close();
    const reopened = await openDuckDbStore({ dataDir });
    try {
      // The stored trace ids load in the background after open (writes ask the table meanwhile);
      // a tiny store is loaded well within this pause, so the retry below meets the loaded filter.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const fresh = buildAgentTrace();
      const retried = await reopened.writePrepared!([reopened.prepareWrite!({ spans: [...trace.slice(2), ...fresh], events: [] })]);
      assert.deepEqual(retried, { accepted: fresh.length, deduplicated: trace.length - 2, eventsAccepted: 0 });
      assert.equal((await reopened.getTrace('default', trace[0]!.traceId))?.summary.spanCount, trace.length);
      // And the traces written since the restart are known too.
      assert.deepEqual(await reopened.write({ spans: fresh, events: [] }), { accepted: 0, deduplicated: fresh.length, eventsAccepted: 0 });
    } finally {
      await reopened.close();
    }
  });

  it('summarizes a group of new traces as a store written trace by trace does, split or repeated ones too', async () => {
    const grouped = await openDuckDbStore({ dataDir: await freshDir() });
    const reference = await openDuckDbStore({ dataDir: await freshDir() });
    try {
      const traces = Array.from({ length: 6 }, (_, index) => buildAgentTrace({ sessionId: `s-${index % 2}`, userId: `u-${index}`, llmCalls: 1 + index }));
      for (const spans of traces) await reference.write({ spans, events: [] });
      // All new, each trace in one batch: the batches' own trace parts are written.
      const fast = await grouped.writePrepared!([grouped.prepareWrite!({ spans: [...traces[0]!, ...traces[1]!], events: [] }), grouped.prepareWrite!({ spans: traces[2]!, events: [] })]);
      assert.deepEqual(fast, { accepted: traces[0]!.length + traces[1]!.length + traces[2]!.length, deduplicated: 0, eventsAccepted: 0 });
      // A trace split over two batches of one write, and a batch repeating one of its spans.
      const [split, repeated, last] = [traces[3]!, traces[4]!, traces[5]!];
      const slow = await grouped.writePrepared!([
        grouped.prepareWrite!({ spans: split.slice(0, 2), events: [] }),
        grouped.prepareWrite!({ spans: [...split.slice(2), ...repeated, repeated[1]!], events: [] }),
        grouped.prepareWrite!({ spans: last, events: [] }),
      ]);
      assert.deepEqual(slow, { accepted: split.length + repeated.length + last.length, deduplicated: 1, eventsAccepted: 0 });
      for (const spans of traces) {
        const [mine, theirs] = await Promise.all([grouped.getTrace('default', spans[0]!.traceId), reference.getTrace('default', spans[0]!.traceId)]);
        assert.deepEqual(mine?.summary, theirs?.summary);
      }
      const window = { projectId: 'default', fromUnixNano: 0n, toUnixNano: 2n ** 62n, limit: 50 };
      const list = { ...window, sort: { field: 'startTime', descending: true } } as const;
      assert.deepEqual(await grouped.listTraces(list), await reference.listTraces(list));
      assert.deepEqual(await grouped.listSessions(window), await reference.listSessions(window));
      // Two new traces of one request that reuse a span id: not a repeat, both spans are kept.
      const [one, two] = [buildAgentTrace({ sessionId: 'shared-id' }), buildAgentTrace({ sessionId: 'shared-id' })];
      two[1] = { ...two[1]!, spanId: one[1]!.spanId };
      assert.deepEqual(await grouped.writePrepared!([grouped.prepareWrite!({ spans: [...one, ...two], events: [] })]), { accepted: one.length + two.length, deduplicated: 0, eventsAccepted: 0 });
      assert.equal((await grouped.getTrace('default', two[0]!.traceId))?.summary.spanCount, two.length);
      // Retried as a whole: every span is a duplicate now.
      assert.deepEqual(await grouped.writePrepared!([grouped.prepareWrite!({ spans: traces[0]!, events: [] })]), { accepted: 0, deduplicated: traces[0]!.length, eventsAccepted: 0 });
    } finally {
      await grouped.close();
      await reference.close();
    }
  });

  it('writes batches its write preparer made in another thread as it writes its own', async () => {
    const adopting = await openDuckDbStore({ dataDir: await freshDir() });
    const reference = await openDuckDbStore({ dataDir: await freshDir() });
    try {
      const spec = adopting.writePreparer!;
      const module = (await import(spec.module)) as { createWritePreparer(options: unknown): WritePreparer };
      const preparer = module.createWritePreparer(structuredClone(spec.options));
      const traces = Array.from({ length: 3 }, (_, index) => buildAgentTrace({ sessionId: 's-1', llmCalls: 1 + index }));
      const [root] = traces[2]!;
      const running = { ...root!, endTimeUnixNano: root!.startTimeUnixNano + 5_000_000_000n, attributes: { ...root!.attributes, 'cairn.live': true } };
      const batches: WriteBatch[] = [{ spans: [...traces[0]!, ...traces[1]!], events: [] }, { spans: traces[2]!.slice(1), events: [], liveSpans: [running] }];
      // What crosses the thread boundary: a structured clone, its buffers moved.
      const adopted = batches.map((batch) => {
        const { prepared, transfer } = preparer.prepare(batch);
        return adopting.adoptPrepared!(structuredClone(prepared, { transfer }));
      });
      assert.deepEqual(await adopting.writePrepared!(adopted), await reference.writePrepared!(batches.map((batch) => reference.prepareWrite!(batch))));
      for (const spans of traces) {
        const traceId = spans[0]!.traceId;
        assert.deepEqual(await adopting.getTrace('default', traceId), await reference.getTrace('default', traceId));
        for (const span of spans.slice(1)) assert.deepEqual(await adopting.getSpan('default', traceId, span.spanId), await reference.getSpan('default', traceId, span.spanId));
      }
      const window = { projectId: 'default', fromUnixNano: 0n, toUnixNano: 2n ** 62n, limit: 50 };
      assert.equal((await adopting.listLiveSpans(window)).length, 1);
      assert.deepEqual(await adopting.listLiveSpans(window), await reference.listLiveSpans(window));
      assert.throws(() => adopting.adoptPrepared!({ spanCount: 3 }), /adoptPrepared takes what this store's write preparer made only/);
    } finally {
      await adopting.close();
      await reference.close();
    }
  });

  it('keeps nothing of a write that fails after its spans were appended, and writes the next one whole', async () => {
    const store = await openDuckDbStore({ dataDir: await freshDir() });
    try {
      const spec = store.writePreparer!;
      const module = (await import(spec.module)) as { createWritePreparer(options: unknown): WritePreparer };
      const preparer = module.createWritePreparer(structuredClone(spec.options));
      const [failing, next] = [buildAgentTrace({ llmCalls: 2 }), buildAgentTrace({ llmCalls: 3 })];
      // The spans rows go first; a trace_parts table one column short fails the write at COMMIT.
      const broken = preparer.prepare({ spans: failing, events: [] }).prepared as { partRows: { columns: unknown[] } };
      broken.partRows.columns.pop();
      await assert.rejects(store.writePrepared!([store.adoptPrepared!(broken)]), /trace_parts: \d+ columns sent, table has \d+/);
      const written = await store.writePrepared!([store.prepareWrite!({ spans: next, events: [] })]);
      assert.equal(written.accepted, next.length);
      assert.equal(await store.getTrace('default', failing[0]!.traceId), null);
      assert.equal((await store.getTrace('default', next[0]!.traceId))?.spans.length, next.length);
      assert.equal((await store.stats()).spanCount, next.length);
      // The failed spans were not kept anywhere: sent again, all of them are written.
      assert.equal((await store.write({ spans: failing, events: [] })).accepted, failing.length);
      assert.equal((await store.stats()).spanCount, failing.length + next.length);
    } finally {
      await store.close();
    }
  });

  it('reads detached events and running spans stored before a restart (and none when there are none)', async () => {
    const dataDir = await freshDir();
    const [root, llm] = buildAgentTrace({ llmCalls: 1 });
    const other = buildAgentTrace({ llmCalls: 1 });
    const first = await openDuckDbStore({ dataDir });
    try {
      // A trace without events or running spans first: the store knows both tables are empty.
      await first.write({ spans: other, events: [] });
      assert.equal((await first.getTrace('default', other[0]!.traceId, { view: 'tree' }))?.spans.length, other.length);
      const event = { timeUnixNano: llm!.startTimeUnixNano + 1_000n, name: 'gen_ai.choice', attributes: {}, droppedAttributesCount: 0 };
      const running = { ...root!, endTimeUnixNano: root!.startTimeUnixNano + 5_000_000_000n, attributes: { ...root!.attributes, 'cairn.live': true } };
      await first.write({ spans: [llm!], events: [{ projectId: 'default', traceId: llm!.traceId, spanId: llm!.spanId, event }], liveSpans: [running] });
    } finally {
      await first.close();
    }
    const reopened = await openDuckDbStore({ dataDir });
    try {
      const tree = await reopened.getTrace('default', llm!.traceId, { view: 'tree' });
      assert.ok(tree);
      assert.deepEqual(tree.spans.find((span) => span.spanId === llm!.spanId)?.events.map((mark) => mark.name), ['gen_ai.choice']);
      assert.equal(tree.spans.find((span) => span.spanId === root!.spanId)?.live, true, 'the running root is drawn');
      const full = await reopened.getTrace('default', llm!.traceId);
      assert.deepEqual(full?.spans.find((span) => span.spanId === llm!.spanId)?.events.map((item) => item.name), ['gen_ai.choice']);
      assert.deepEqual((await reopened.getSpan('default', llm!.traceId, llm!.spanId))?.events.map((item) => item.name), ['gen_ai.choice']);
      const window = { fromUnixNano: root!.startTimeUnixNano - 1_000_000_000n, toUnixNano: root!.startTimeUnixNano + 3_600_000_000_000n };
      assert.equal((await reopened.listLiveSpans({ projectId: 'default', ...window, limit: 10 })).length, 1);
    } finally {
      await reopened.close();
    }
  });

  it('rejects writes and queries after close', async () => {
    const store = await openDuckDbStore({ dataDir: await freshDir() });
    await store.close();
    await assert.rejects(async () => store.write({ spans: [], events: [] }), { code: 'store_unavailable' });
  });
});
