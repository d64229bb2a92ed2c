// The one place the SDK reads the environment: the standard OTEL_* variables (OpenTelemetry
// "SDK environment variables" spec). Everything else takes options.

export interface OtelEnvironment {
  serviceName?: string;
  /** Full traces URL (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, or `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`). */
  tracesUrl?: string;
  headers: Record<string, string>;
  resourceAttributes: Record<string, string>;
  sampleRate?: number;
  disabled: boolean;
  maxQueueSize?: number;
  maxExportBatchSize?: number;
  scheduledDelayMillis?: number;
  exportTimeoutMillis?: number;
}

function parsePairs(text: string | undefined): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const item of (text ?? '').split(',')) {
    const at = item.indexOf('=');
    if (at <= 0) continue;
    const key = decodeURIComponent(item.slice(0, at).trim());
    pairs[key] = decodeURIComponent(item.slice(at + 1).trim());
  }
  return pairs;
}

function positiveInt(text: string | undefined): number | undefined {
  const value = Number(text);
  return text !== undefined && text !== '' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** Reads the standard variables; malformed values are ignored (never thrown). */
export function readOtelEnvironment(env: NodeJS.ProcessEnv = process.env): OtelEnvironment {
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const sampler = env.OTEL_TRACES_SAMPLER?.trim().toLowerCase();
  const samplerArg = Number(env.OTEL_TRACES_SAMPLER_ARG);
  let sampleRate: number | undefined;
  if (sampler === 'always_off' || sampler === 'parentbased_always_off') sampleRate = 0;
  else if (sampler === 'always_on' || sampler === 'parentbased_always_on') sampleRate = 1;
  else if ((sampler === 'traceidratio' || sampler === 'parentbased_traceidratio') && samplerArg >= 0 && samplerArg <= 1) sampleRate = samplerArg;
  return {
    serviceName: env.OTEL_SERVICE_NAME?.trim() || undefined,
    tracesUrl: traces || (base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined),
    headers: { ...parsePairs(env.OTEL_EXPORTER_OTLP_HEADERS), ...parsePairs(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS) },
    resourceAttributes: parsePairs(env.OTEL_RESOURCE_ATTRIBUTES),
    sampleRate,
    disabled: env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true',
    maxQueueSize: positiveInt(env.OTEL_BSP_MAX_QUEUE_SIZE),
    maxExportBatchSize: positiveInt(env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE),
    scheduledDelayMillis: positiveInt(env.OTEL_BSP_SCHEDULE_DELAY),
    exportTimeoutMillis: positiveInt(env.OTEL_BSP_EXPORT_TIMEOUT),
  };
}
