// SDK overhead benchmark (issue 4, item 8): the cost per span of a Cairn helper (`tool(...)`)
// against the bare OpenTelemetry SDK doing the same work, and the overhead on a simulated agent
// loop. Prints one JSON line.
//
// Same work on both sides: one span named `execute_tool search` with the same 15 attributes, run
// as the active span around a callback (the bare side uses `tracer.startActiveSpan` + `end()` in
// `finally`, which is what a hand-written equivalent does), a batch queue (the OTel
// BatchSpanProcessor / Cairn's bounded queue, same limits) and OTLP protobuf serialization
// (`ProtobufTraceSerializer`) in an exporter that sends nothing. Both run in this one process,
// interleaved A B A B …, and the ratio of the medians is reported, so machine noise hits both.
//
//   node --import tsx bench/src/sdk-bench.ts [--spans 10000] [--rounds 15] [--loop-pairs 41] [--loop-rounds 2]

import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { SpanKind, type Attributes, type Tracer } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import { agent, exportStats, flush, init, llm, shutdown, tool } from '@cairn/sdk';

const { values: args } = parseArgs({
  options: {
    spans: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '15' },
    'loop-rounds': { type: 'string', default: '2' },
    'loop-pairs': { type: 'string', default: '41' },
    'loop-steps': { type: 'string', default: '50' },
    'model-latency-ms': { type: 'string', default: '50' },
  },
});
const SPANS_PER_ROUND = Number(args.spans);
const ROUNDS = Number(args.rounds);
const LOOP_ROUNDS = Number(args['loop-rounds']);
const LOOP_PAIRS = Number(args['loop-pairs']);
const LOOP_STEPS = Number(args['loop-steps']);
const MODEL_LATENCY_MS = Number(args['model-latency-ms']);
/** Spans ended between two flushes; below the queue size, so neither side drops any. */
const SPANS_PER_FLUSH = 1000;
const QUEUE = { maxQueueSize: 4096, maxExportBatchSize: 512, scheduledDelayMillis: 1000, exportTimeoutMillis: 10_000 };

/** Serializes every batch to OTLP protobuf, as the real exporter does before sending, and drops it. */
class SerializingExporter implements SpanExporter {
  spans = 0;
  bytes = 0;
  export(spans: ReadableSpan[], done: (result: { code: number }) => void): void {
    this.bytes += ProtobufTraceSerializer.serializeRequest(spans)?.length ?? 0;
    this.spans += spans.length;
    done({ code: 0 });
  }
  async shutdown(): Promise<void> {}
}

// The 15 attributes of every span: the 4 the `tool()` helper writes plus 11 the caller passes.
const HELPER_ATTRIBUTES: Attributes = {
  'cairn.span.type': 'tool',
  'gen_ai.operation.name': 'execute_tool',
  'gen_ai.tool.name': 'search',
  'gen_ai.tool.type': 'function',
};
const CALLER_ATTRIBUTES: Attributes = {
  'gen_ai.tool.call.id': 'call_8f2c',
  'gen_ai.tool.description': 'Search the product catalogue',
  'app.tenant': 'acme',
  'app.region': 'eu-west-1',
  'app.request.id': 'req-1f6e0c9a',
  'app.retry.count': 0,
  'app.cache.hit': false,
  'app.result.count': 12,
  'app.latency.budget_ms': 250,
  'app.query.length': 42,
  'app.feature.flag': 'search-v2',
};
const ALL_ATTRIBUTES: Attributes = { ...HELPER_ATTRIBUTES, ...CALLER_ATTRIBUTES };
const SPAN_NAME = 'execute_tool search';
if (Object.keys(ALL_ATTRIBUTES).length !== 15) throw new Error('the benchmark span must have 15 attributes');

const work = (): number => 1;

function bareSpans(tracer: Tracer, count: number): void {
  for (let index = 0; index < count; index++) {
    tracer.startActiveSpan(SPAN_NAME, { kind: SpanKind.INTERNAL, attributes: ALL_ATTRIBUTES }, (span) => {
      try {
        return work();
      } finally {
        span.end();
      }
    });
  }
}

function cairnSpans(count: number): void {
  for (let index = 0; index < count; index++) {
    tool({ name: 'search', attributes: CALLER_ATTRIBUTES }, work);
  }
}

/** Milliseconds to end `count` spans and flush them (serialization included). */
async function timeChunk(run: (count: number) => void, flushAll: () => Promise<void>, count: number): Promise<number> {
  const started = performance.now();
  run(count);
  await flushAll();
  return performance.now() - started;
}

interface Side {
  run: (count: number) => void;
  flush: () => Promise<void>;
}

/**
 * One round: `count` spans per side in chunks of SPANS_PER_FLUSH, the sides alternating chunk by
 * chunk (and which goes first), so a noisy moment on the machine hits both. Returns µs per span.
 */
async function timeRound(bare: Side, cairn: Side, count: number): Promise<{ bare: number; cairn: number }> {
  let bareMillis = 0;
  let cairnMillis = 0;
  for (let chunk = 0; chunk * SPANS_PER_FLUSH < count; chunk++) {
    const size = Math.min(SPANS_PER_FLUSH, count - chunk * SPANS_PER_FLUSH);
    if (chunk % 2 === 0) {
      bareMillis += await timeChunk(bare.run, bare.flush, size);
      cairnMillis += await timeChunk(cairn.run, cairn.flush, size);
    } else {
      cairnMillis += await timeChunk(cairn.run, cairn.flush, size);
      bareMillis += await timeChunk(bare.run, bare.flush, size);
    }
  }
  return { bare: (bareMillis * 1000) / count, cairn: (cairnMillis * 1000) / count };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const round2 = (value: number): number => Math.round(value * 100) / 100;
// 0 ms waits one event-loop turn: a 0 ms timer would wait a whole quantized millisecond.
const sleep = (millis: number): Promise<void> => new Promise((resolve) => (millis > 0 ? setTimeout(resolve, millis) : setImmediate(resolve)));

/**
 * A simulated agent: per step one model call (`MODEL_LATENCY_MS` of waiting) and one tool call,
 * with messages and token usage; instrumented with Cairn's helpers or not at all.
 */
async function agentLoop(instrumented: boolean, modelLatencyMillis: number): Promise<void> {
  const messages: { role: string; content: string }[] = [{ role: 'user', content: 'Find me a flight from Lisbon to Oslo next Tuesday under 300 EUR.' }];
  const modelCall = async (): Promise<string> => {
    await sleep(modelLatencyMillis);
    return `step ${messages.length}: calling search_flights with {"from":"LIS","to":"OSL"}`;
  };
  const searchTool = (): string => JSON.stringify({ flights: [{ id: 'TP1234', price: 212 }, { id: 'SK4321', price: 287 }] });
  const steps = async (): Promise<void> => {
    for (let stepIndex = 0; stepIndex < LOOP_STEPS; stepIndex++) {
      const reply = instrumented
        ? await llm({ model: 'gpt-4o-mini', provider: 'openai' }, async (span) => {
            span.setInput(messages);
            const text = await modelCall();
            span.setOutput(text).setUsage({ inputTokens: 40 * messages.length, outputTokens: 24 }).setResponseModel('gpt-4o-mini-2024-07-18');
            return text;
          })
        : await modelCall();
      messages.push({ role: 'assistant', content: reply });
      const result = instrumented
        ? tool({ name: 'search_flights', callId: `call_${stepIndex}` }, (span) => {
            span.setInput({ from: 'LIS', to: 'OSL' });
            const output = searchTool();
            span.setOutput(output);
            return output;
          })
        : searchTool();
      messages.push({ role: 'tool', content: result });
    }
  };
  if (instrumented) await agent('travel-planner', steps);
  else await steps();
  if (instrumented) await flush();
}

async function timeLoop(instrumented: boolean, modelLatencyMillis: number): Promise<number> {
  const started = performance.now();
  await agentLoop(instrumented, modelLatencyMillis);
  return performance.now() - started;
}

/**
 * What the instrumentation adds to one loop, measured with no model latency (so timer jitter of
 * ±1 ms per step does not drown it): instrumented minus plain, interleaved, median of pairs.
 */
async function instrumentationMillisPerLoop(pairs: number): Promise<number> {
  const extra: number[] = [];
  for (let pair = 0; pair < pairs; pair++) {
    const plain = await timeLoop(false, 0);
    const cairn = await timeLoop(true, 0);
    extra.push(cairn - plain);
  }
  return median(extra);
}

async function main(): Promise<void> {
  const cairnExporter = new SerializingExporter();
  init({ serviceName: 'sdk-bench', exporter: cairnExporter, ...QUEUE });
  const bareExporter = new SerializingExporter();
  const bareProvider = new BasicTracerProvider({
    // The resource init() builds, so both sides serialize the same bytes.
    resource: resourceFromAttributes({ 'service.name': 'sdk-bench', 'telemetry.sdk.name': '@cairn/sdk', 'telemetry.sdk.language': 'nodejs' }),
    spanProcessors: [new BatchSpanProcessor(bareExporter, QUEUE)],
  });
  const bareTracer = bareProvider.getTracer('bench');
  const bare: Side = { run: (count) => bareSpans(bareTracer, count), flush: () => bareProvider.forceFlush() };
  const cairn: Side = { run: cairnSpans, flush };

  // Warm-up: let both paths get optimized before anything is timed.
  await timeRound(bare, cairn, 10_000);
  const bareMicros: number[] = [];
  const cairnMicros: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const timed = await timeRound(bare, cairn, SPANS_PER_ROUND);
    bareMicros.push(timed.bare);
    cairnMicros.push(timed.cairn);
    ratios.push(timed.cairn / timed.bare);
  }
  const exportedEqual = cairnExporter.spans === bareExporter.spans && exportStats()?.droppedSpans === 0;
  const bytesPerSpan = { bare: round2(bareExporter.bytes / bareExporter.spans), cairn: round2(cairnExporter.bytes / cairnExporter.spans) };

  await instrumentationMillisPerLoop(5); // warm-up
  const extraMillis = await instrumentationMillisPerLoop(LOOP_PAIRS);
  const plainWalls: number[] = [];
  const cairnWalls: number[] = [];
  for (let round = 0; round < LOOP_ROUNDS; round++) {
    plainWalls.push(await timeLoop(false, MODEL_LATENCY_MS));
    cairnWalls.push(await timeLoop(true, MODEL_LATENCY_MS));
  }
  const plainWall = median(plainWalls);
  const cairnWall = median(cairnWalls);
  await shutdown();
  await bareProvider.shutdown();
  console.log(
    JSON.stringify({
      bench: 'sdk',
      spanAttributes: 15,
      spansPerRound: SPANS_PER_ROUND,
      rounds: ROUNDS,
      microsPerSpan: { bare: round2(median(bareMicros)), cairn: round2(median(cairnMicros)) },
      ratio: round2(median(ratios)),
      ratioOfMedians: round2(median(cairnMicros) / median(bareMicros)),
      ratioTarget: 1.25,
      ratios: ratios.map(round2),
      sameSpansExported: exportedEqual,
      otlpBytesPerSpan: bytesPerSpan,
      agentLoop: {
        steps: LOOP_STEPS,
        spansPerLoop: 2 * LOOP_STEPS + 1,
        modelLatencyMillis: MODEL_LATENCY_MS,
        rounds: LOOP_ROUNDS,
        // What the helpers add to a loop (span work, export, protobuf serialization), measured on the
        // same loop without model latency, against the length of the loop with it.
        instrumentationMillisPerLoop: round2(extraMillis),
        overheadPercent: round2((extraMillis / plainWall) * 100),
        // Wall clock of the real loop, for the record: ±1 ms of timer jitter per step dominates it.
        plainWallMillis: round2(plainWall),
        cairnWallMillis: round2(cairnWall),
        wallOverheadPercent: round2(((cairnWall - plainWall) / plainWall) * 100),
        overheadTargetPercent: 1,
      },
    }),
  );
}

await main();
