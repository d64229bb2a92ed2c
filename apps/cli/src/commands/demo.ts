// `cairn demo`: records a multi-agent workload with the real OpenTelemetry SDK and sends it over
// real OTLP/HTTP protobuf (the standard exporter) to a running Cairn.

import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { recordDemoWorkload } from '../demo/workload.js';

export interface DemoOptions {
  /** OTLP/HTTP base URL, e.g. http://127.0.0.1:4318. */
  endpoint: string;
  traceCount: number;
}

export async function demo(options: DemoOptions): Promise<number> {
  const recorded = new InMemorySpanExporter();
  const providers = new Map<string, BasicTracerProvider>();
  recordDemoWorkload(
    {
      forService(serviceName) {
        let provider = providers.get(serviceName);
        if (!provider) {
          provider = new BasicTracerProvider({
            resource: resourceFromAttributes({ 'service.name': serviceName, 'service.version': '1.4.2', 'deployment.environment.name': 'demo' }),
            spanProcessors: [new SimpleSpanProcessor(recorded)],
          });
          providers.set(serviceName, provider);
        }
        return provider.getTracer('cairn-demo', '0.1.0');
      },
    },
    options.traceCount,
    Date.now(),
  );
  const spans = recorded.getFinishedSpans();
  const url = `${options.endpoint.replace(/\/+$/, '')}/v1/traces`;
  const exporter = new OTLPTraceExporter({ url, timeoutMillis: 10_000 });
  const error = await exportAll(exporter, spans);
  await exporter.shutdown();
  if (error) {
    process.stderr.write(
      `cairn demo: could not send ${spans.length} spans to ${url}: ${error}\n` +
        'Is Cairn running? Start it with `npm start` (or `cairn serve`), or pass --endpoint.\n',
    );
    return 1;
  }
  const traceIds = [...new Set(spans.map((span) => span.spanContext().traceId))];
  process.stdout.write(`sent ${spans.length} spans in ${traceIds.length} traces to ${url}\n`);
  for (const traceId of traceIds) process.stdout.write(`  trace ${traceId}\n`);
  return 0;
}

function exportAll(exporter: OTLPTraceExporter, spans: ReadableSpan[]): Promise<string | null> {
  return new Promise((resolve) => {
    exporter.export(spans, (result) => {
      resolve(result.code === ExportResultCode.SUCCESS ? null : (result.error?.message ?? 'export failed'));
    });
  });
}
