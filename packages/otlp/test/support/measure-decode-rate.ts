// Decode throughput on ~1 KB spans from the OpenTelemetry JS exporters. Not a test: run it by
// hand and read the numbers. Rates are per second of this process's CPU time, so other work on
// the machine inflates them less than wall-clock rates would (wall-clock is printed too).
//
//   node --import tsx packages/otlp/test/support/measure-decode-rate.ts [spansPerRequest] [rounds]
//
// The default of 512 spans per request is the JS BatchSpanProcessor's maxExportBatchSize. Much
// larger requests decode slower per span: every decoded span stays alive until the request is
// done, so young-generation GC copies more (node --max-semi-space-size=32 recovers most of it).

import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { decodeTracesJson, decodeTracesProtobuf } from '../../src/index.js';
import { typicalSpans } from './sdk-spans.js';

const spansPerRequest = Number(process.argv[2] ?? 512);
const rounds = Number(process.argv[3] ?? 5);
const spans = typicalSpans(spansPerRequest - 1); // plus the root span
const bodies = {
  protobuf: { body: ProtobufTraceSerializer.serializeRequest(spans)!, decode: decodeTracesProtobuf },
  json: { body: JsonTraceSerializer.serializeRequest(spans)!, decode: decodeTracesJson },
};

for (const [format, { body, decode }] of Object.entries(bodies)) {
  console.log(`${format}: ${spans.length} spans, ${body.length} bytes (${Math.round(body.length / spans.length)} bytes/span)`);
  const requestsPerRound = Math.max(1, Math.round((format === 'protobuf' ? 80_000 : 20_000) / spans.length));
  const cpuRates: number[] = [];
  const wallRates: number[] = [];
  for (let round = 0; round < rounds + 1; round++) {
    const startedWall = process.hrtime.bigint();
    const startedCpu = process.cpuUsage();
    let decoded = 0;
    for (let request = 0; request < requestsPerRound; request++) decoded += decode(body).spans.length;
    const cpu = process.cpuUsage(startedCpu);
    const wallSeconds = Number(process.hrtime.bigint() - startedWall) / 1e9;
    if (round === 0) continue; // warms up the JIT
    cpuRates.push(decoded / ((cpu.user + cpu.system) / 1e6));
    wallRates.push(decoded / wallSeconds);
  }
  const median = (rates: number[]): number => rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)]!;
  const cpuMedian = median(cpuRates);
  console.log(
    `  median ${Math.round(cpuMedian)} spans/s of CPU time (${((cpuMedian * body.length) / spans.length / 1e6).toFixed(0)} MB/s), ` +
      `${Math.round(median(wallRates))} spans/s wall-clock`,
  );
}
