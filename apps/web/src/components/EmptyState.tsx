// First run: no traces yet, so show how to send one.

export function EmptyState({ filtered }: { filtered: boolean }) {
  if (filtered) {
    return (
      <div className="empty" role="status">
        <h2>No traces match these filters</h2>
        <p>Widen the time range or clear some filters.</p>
      </div>
    );
  }
  const origin = window.location.hostname || '127.0.0.1';
  return (
    <div className="empty" role="status">
      <h2>No traces yet — send your first one</h2>
      <p>Point any OpenTelemetry exporter at Cairn's OTLP receiver:</p>
      <pre>
        <code>{`export OTEL_EXPORTER_OTLP_ENDPOINT=http://${origin}:4318
export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf
export OTEL_SERVICE_NAME=my-agent`}</code>
      </pre>
      <p>
        From TypeScript, the Cairn SDK (<code>@cairn/sdk</code>, see docs/sdk.md) sets all of this up in one call:
      </p>
      <pre aria-label="SDK snippet">
        <code>{`import { init } from '@cairn/sdk';

init({ serviceName: 'my-agent' }); // OTLP/HTTP → http://${origin}:4318`}</code>
      </pre>
      <p>Or record a realistic multi-agent workload right now:</p>
      <pre>
        <code>npm run cairn -- demo</code>
      </pre>
      <p>
        Spans in the OpenTelemetry GenAI conventions (<code>gen_ai.*</code>), OpenInference and the Vercel AI SDK are recognised;
        this page refreshes by itself.
      </p>
    </div>
  );
}
