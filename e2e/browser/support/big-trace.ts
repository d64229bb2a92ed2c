// Seeds one very large agent trace through real OTLP/HTTP protobuf: spans recorded with the
// OpenTelemetry SDK and encoded by its own serializer (the benchmark's generator), so the
// server ingests exactly what an exporter would send.

import { encodeAgentBatches } from '../../../bench/src/agent-batches.js';

interface TraceListBody {
  items: { traceId: string; spanCount: number }[];
}

/** Posts a trace of `spanCount` spans and returns its id once the query API lists it. */
export async function postBigTrace(otlpHttpUrl: string, apiUrl: string, spanCount = 20_000): Promise<string> {
  const [batch] = encodeAgentBatches(1, spanCount, spanCount);
  const response = await fetch(`${otlpHttpUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf' },
    body: new Uint8Array(batch!.body),
  });
  if (response.status !== 200) throw new Error(`posting the big trace failed: ${response.status} ${await response.text()}`);
  const from = Date.now() - 24 * 3_600_000;
  const list = (await (await fetch(`${apiUrl}/api/v1/traces?from=${from}&sort=-duration&limit=500`)).json()) as TraceListBody;
  const trace = list.items.find((item) => item.spanCount >= spanCount);
  if (!trace) throw new Error(`the ${spanCount}-span trace is not listed: ${JSON.stringify(list.items.map((item) => item.spanCount))}`);
  return trace.traceId;
}
