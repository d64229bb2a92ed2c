// Fetches from the query API on the page's own origin. Failures become ApiRequestError with a
// kind the UI can word for people: the server is unreachable, or it answered with an error.

import { traceDetailOfTreeView } from '../model/trace-tree-view.js';
import type {
  ApiAttributeCatalog,
  ApiTraceTree,
  ApiFindingCounts,
  ApiLiveSpan,
  ApiMetrics,
  ApiPage,
  ApiQualityReport,
  ApiTraceDiff,
  ApiSessionDetail,
  ApiSessionSummary,
  ApiSpanDetail,
  ApiTraceAnalysis,
  ApiTraceDetail,
  ApiTraceSummary,
} from './api-types.js';

export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  constructor(
    /** 'unreachable': no HTTP answer at all; 'status': the API answered with an error. */
    readonly kind: 'unreachable' | 'status',
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { headers: { accept: 'application/json' }, signal });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiRequestError('unreachable', 0, `The Cairn server is unreachable (${(error as Error).message}).`);
  }
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = (await response.json()) as { error?: { message?: string } };
      if (body.error?.message) message = body.error.message;
    } catch {
      // Not JSON (a proxy's error page): keep the status line.
    }
    throw new ApiRequestError(response.status === 502 || response.status === 504 ? 'unreachable' : 'status', response.status, message);
  }
  return (await response.json()) as T;
}

export function fetchTraces(query: URLSearchParams, signal?: AbortSignal): Promise<ApiPage<ApiTraceSummary>> {
  return getJson(`/api/v1/traces?${query.toString()}`, signal);
}

/**
 * The trace as its tree and waterfall need it: the API's tree view (per span no attributes,
 * links or event attributes; a span's detail has them), about half the bytes of the full view.
 */
export async function fetchTrace(traceId: string, signal?: AbortSignal): Promise<ApiTraceDetail> {
  return traceDetailOfTreeView(await getJson<ApiTraceTree>(`/api/v1/traces/${encodeURIComponent(traceId)}?view=tree`, signal));
}

/** Attribute keys (no key or field), or the most frequent values of a key or filter field, for filter suggestions. */
export function fetchAttributeCatalog(query: URLSearchParams, signal?: AbortSignal): Promise<ApiAttributeCatalog> {
  return getJson(`/api/v1/attributes?${query.toString()}`, signal);
}

export function fetchSpanDetail(traceId: string, spanId: string, signal?: AbortSignal): Promise<ApiSpanDetail> {
  return getJson(`/api/v1/traces/${encodeURIComponent(traceId)}/spans/${encodeURIComponent(spanId)}`, signal);
}

export function fetchSessions(query: URLSearchParams, signal?: AbortSignal): Promise<ApiPage<ApiSessionSummary>> {
  return getJson(`/api/v1/sessions?${query.toString()}`, signal);
}

export function fetchSession(sessionId: string, signal?: AbortSignal): Promise<ApiSessionDetail> {
  return getJson(`/api/v1/sessions/${encodeURIComponent(sessionId)}`, signal);
}

/**
 * The trace's critical path, findings and root-cause hint, or null when this server has no
 * analysis endpoint (404) or could not compute it: the trace view then simply shows less.
 */
export async function fetchTraceAnalysis(traceId: string, signal?: AbortSignal): Promise<ApiTraceAnalysis | null> {
  try {
    return await getJson<ApiTraceAnalysis>(`/api/v1/traces/${encodeURIComponent(traceId)}/analysis`, signal);
  } catch (error) {
    if (error instanceof ApiRequestError) return null;
    throw error;
  }
}

export function fetchMetrics(query: URLSearchParams, signal?: AbortSignal): Promise<ApiMetrics> {
  return getJson(`/api/v1/metrics?${query.toString()}`, signal);
}

export function fetchFindingCounts(query: URLSearchParams, signal?: AbortSignal): Promise<ApiFindingCounts> {
  return getJson(`/api/v1/findings?${query.toString()}`, signal);
}

export function fetchQualityReport(query: URLSearchParams, signal?: AbortSignal): Promise<ApiQualityReport> {
  return getJson(`/api/v1/quality?${query.toString()}`, signal);
}

export function fetchTraceDiff(a: string, b: string, signal?: AbortSignal): Promise<ApiTraceDiff> {
  return getJson(`/api/v1/diff?${new URLSearchParams({ a, b }).toString()}`, signal);
}

export function fetchLiveSpans(signal?: AbortSignal): Promise<{ items: ApiLiveSpan[] }> {
  return getJson('/api/v1/live', signal);
}
