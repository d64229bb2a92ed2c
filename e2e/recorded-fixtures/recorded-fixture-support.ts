// Shared by e2e/recorded-fixtures/*.test.ts: the recorded OTLP bodies (fixtures/recorded, recorded
// against the deterministic fake OpenAI server) are replayed into a real `cairn serve`; the query
// API must show what the library saw and the fake answered. Nothing here records live:
// re-record with `npm run record -w fixtures`.
// Every assert.ok carries a message: without one, a failing (todo) assert.ok makes Node re-parse
// the test file to build a message, which spun for minutes under tsx.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { getJson, REPO_ROOT, startCairn, type CairnProcess } from '../support/cairn-process.js';

export const RECORDED_DIR = path.join(REPO_ROOT, 'fixtures/recorded');

/**
 * Which test file checks which recorded library. every-library.test.ts fails while a directory of
 * fixtures/recorded is missing here; each file checks that it replays every scenario of its libraries.
 */
export const LIBRARY_TEST_FILES: Record<string, string> = {
  'opentelemetry-instrumentation-openai': 'openai-instrumentations.test.ts',
  'openinference-instrumentation-openai': 'openai-instrumentations.test.ts',
  'vercel-ai-sdk': 'vercel-ai-sdk.test.ts',
  'traceloop-node-server-sdk': 'traceloop.test.ts',
  'langfuse-v4': 'langfuse.test.ts',
  'langfuse-v5': 'langfuse.test.ts',
  'mastra-core': 'mastra.test.ts',
  'openinference-instrumentation-anthropic': 'anthropic.test.ts',
  'traceloop-instrumentation-anthropic': 'anthropic.test.ts',
  'openinference-instrumentation-langchain': 'langchain.test.ts',
  'openinference-instrumentation-openai-agents': 'openai-agents.test.ts',
  'traceloop-instrumentation-langchain': 'langchain.test.ts',
};

/** fixtures/record/record-scenario.ts and record-framework.ts write this next to the bodies. */
export interface Manifest {
  library: { name: string; version: string };
  scenario: string;
  files: { file: string; path: string; contentType: string; contentEncoding: string | null }[];
  /** `status` (the OTel status the SDK set, null when unset) only in the frameworks' manifests. */
  spans: { traceId: string; spanId: string; parentSpanId: string | null; name: string; kind: string; scope: string; status?: { code: string; message: string | null } | null }[];
  logRecords: { eventName: string | null; spanId: string | null }[];
  /** What the fake answered, call by call; loadManifest appends the Anthropic fake's answers (fakeAnthropic) here. */
  fakeOpenAI: { endpoint: string; requestModel: string; responseModel: string; responseId: string; inputTokens: number; outputTokens: number; outputText: string | null; toolCalls: { id: string; name: string; arguments: string }[] }[];
  fakeAnthropic?: Manifest['fakeOpenAI'];
  /** Calls a fake answered with HTTP 500 on purpose (not in fakeOpenAI / fakeAnthropic). */
  fakeFailures?: { endpoint: string; requestModel: string; status: number; message: string }[];
}

export interface ApiStatus {
  code: 'unset' | 'ok' | 'error';
  message: string;
}
export interface ApiSpan {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: string;
  spanType: string;
  status: ApiStatus;
  model: string | null;
  provider: string | null;
  operation: string | null;
  agentName: string | null;
  toolName: string | null;
  sessionId: string | null;
  userId: string | null;
  usage: { inputTokens: number; outputTokens: number };
  inputPreview: string;
  outputPreview: string;
}
export interface ApiEvent {
  name: string;
  attributes: Record<string, unknown>;
}
export interface ApiSpanDetail extends ApiSpan {
  requestModel: string | null;
  toolCallId: string | null;
  hasUsage: boolean;
  attributes: Record<string, unknown>;
  events: ApiEvent[];
  input: unknown;
  output: unknown;
}
export interface ApiTraceSummary {
  traceId: string;
  rootName: string;
  spanCount: number;
  errorCount: number;
  llmCallCount: number;
  toolCallCount: number;
  inputTokens: number;
  outputTokens: number;
  models: string[];
  agents: string[];
  sessionId: string | null;
  userId: string | null;
  hasRoot: boolean;
}
export interface ApiTrace {
  summary: ApiTraceSummary;
  spans: ApiSpan[];
}
export interface ApiTraceList {
  items: ApiTraceSummary[];
}
interface ApiStats {
  spansAccepted: number;
  spansDeduplicated: number;
  spanCount: number;
  traceCount: number;
}

export function loadManifest(library: string, scenario: string): Manifest {
  const manifest = JSON.parse(fs.readFileSync(path.join(RECORDED_DIR, library, scenario, 'manifest.json'), 'utf8')) as Manifest;
  // A scenario calls one fake provider; the checks read every answer from one list.
  return { ...manifest, fakeOpenAI: [...manifest.fakeOpenAI, ...(manifest.fakeAnthropic ?? [])] };
}

export function recordedScenarios(library: string): string[] {
  return fs.readdirSync(path.join(RECORDED_DIR, library)).sort();
}

/** POSTs the recorded bodies in recording order, each with its recorded content type and path. */
async function replay(cairn: CairnProcess, library: string, manifest: Manifest): Promise<void> {
  for (const entry of manifest.files) {
    const headers: Record<string, string> = { 'content-type': entry.contentType };
    if (entry.contentEncoding) headers['content-encoding'] = entry.contentEncoding;
    const body = fs.readFileSync(path.join(RECORDED_DIR, library, manifest.scenario, entry.file));
    const response = await fetch(`${cairn.otlpHttpUrl}${entry.path}`, { method: 'POST', headers, body });
    assert.equal(response.status, 200, `${entry.file}: ${await response.text()}`);
  }
}

// One server per test file (a start costs ~2.5 s): every fixture has its own trace ids
// (fixtures/record/deterministic-id-generator.ts), and the tests of a file run one at a time, so
// per-scenario stats deltas stay exact.
const server = { cairn: undefined as CairnProcess | undefined };

/** Starts `cairn serve` before the tests of the calling file and stops it after them. */
export function useCairnServer(): void {
  before(async () => {
    server.cairn = await startCairn();
  });
  after(async () => {
    await server.cairn?.stop();
  });
}

/** The trace ids of a manifest, the one with the most spans (the scenario's own) first. */
function traceIdsBySize(manifest: Manifest): string[] {
  const counts = new Map<string, number>();
  for (const span of manifest.spans) counts.set(span.traceId, (counts.get(span.traceId) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([traceId]) => traceId);
}

/** Replays a scenario into the shared server once and gives its tests typed API access. */
export function replayedScenario(library: string, scenario: string) {
  const manifest = loadManifest(library, scenario);
  const traceIds = traceIdsBySize(manifest);
  const traceId = traceIds[0]!;
  before(() => replay(server.cairn!, library, manifest));
  const api = async <T>(pathAndQuery: string): Promise<T> => {
    const { status, body } = await getJson<T>(`${server.cairn!.apiUrl}${pathAndQuery}`);
    assert.equal(status, 200, `GET ${pathAndQuery}: ${JSON.stringify(body)}`);
    return body;
  };
  const trace = (id = traceId) => api<ApiTrace>(`/api/v1/traces/${id}`);
  /** from=0: the recording is older than the list's default 24-hour window. */
  const list = (query: string) => api<ApiTraceList>(`/api/v1/traces?from=0&limit=500&${query}`);
  const listed = async (query: string) => (await list(query)).items.some((item) => item.traceId === traceId);
  /** The instrumentation's model-call spans in call order, paired with what the fake answered. */
  const modelCalls = async () => {
    const { spans } = await trace();
    const recorded = manifest.spans.filter((span) => span.scope === manifest.library.name);
    const calls = spans.filter((span) => recorded.some((entry) => entry.spanId === span.spanId));
    assert.equal(calls.length, manifest.fakeOpenAI.length, 'one instrumented span per call to the fake');
    return calls.map((span, index) => ({ span, exchange: manifest.fakeOpenAI[index]! }));
  };
  const onlyCall = async () => {
    const calls = await modelCalls();
    assert.equal(calls.length, 1);
    return calls[0]!;
  };
  const detail = (spanId: string, id = traceId) => api<ApiSpanDetail>(`/api/v1/traces/${id}/spans/${spanId}`);
  const replayAgain = () => replay(server.cairn!, library, manifest);
  return { library, manifest, traceId, traceIds, api, trace, list, listed, modelCalls, onlyCall, detail, replayAgain };
}

export type Scenario = ReturnType<typeof replayedScenario>;

/** Fails when a scenario was recorded for the library but the file does not replay it. */
export function everyScenarioReplayed(library: string, replayed: readonly string[]): void {
  it(`replays every recorded ${library} scenario`, () => {
    assert.deepEqual(recordedScenarios(library), [...replayed].sort());
  });
}

/**
 * What every recorded scenario must show, whatever the library: every trace, its tree, and no
 * duplicates. `rootNeverSent`: the library never ended (so never exported) the trace's root span —
 * its children point at a parent Cairn never receives.
 */
export function storageChecks({ manifest, traceIds, trace, api, detail, replayAgain }: Scenario, options: { rootNeverSent?: boolean } = {}): void {
  const spansOf = (traceId: string) => manifest.spans.filter((span) => span.traceId === traceId);

  it('stores every trace whole, with the tree the SDK built', async () => {
    for (const traceId of traceIds) {
      const { summary, spans } = await trace(traceId);
      assert.equal(summary.spanCount, spansOf(traceId).length, `span count of ${traceId}`);
      assert.equal(summary.hasRoot, options.rootNeverSent !== true, 'hasRoot');
      assert.deepEqual(
        spans.map((span) => [span.spanId, span.parentSpanId, span.name, span.kind]).sort(),
        spansOf(traceId).map((span) => [span.spanId, span.parentSpanId, span.name, span.kind]).sort(),
      );
    }
  });

  it('deduplicates the same bodies sent again: counts grow in stats only', async () => {
    const before = await api<ApiStats>('/api/v1/stats');
    const eventCounts = () => Promise.all(manifest.spans.map(async (span) => (await detail(span.spanId, span.traceId)).events.length));
    const eventsBefore = await eventCounts();
    await replayAgain();
    const afterStats = await api<ApiStats>('/api/v1/stats');
    assert.equal(afterStats.spansDeduplicated - before.spansDeduplicated, manifest.spans.length);
    assert.deepEqual([afterStats.spanCount, afterStats.traceCount], [before.spanCount, before.traceCount]);
    for (const traceId of traceIds) assert.equal((await trace(traceId)).summary.spanCount, spansOf(traceId).length);
    assert.deepEqual(await eventCounts(), eventsBefore, 'events are not attached twice');
  });
}

/** The body of a legacy gen_ai event, as Cairn keeps a log record attached to its span. */
export function bodyOf(event: ApiEvent | undefined): Record<string, unknown> {
  assert.ok(event, 'event is present');
  return event.attributes.body as Record<string, unknown>;
}

export function sumOf(manifest: Manifest, key: 'inputTokens' | 'outputTokens'): number {
  return manifest.fakeOpenAI.reduce((total, exchange) => total + exchange[key], 0);
}
