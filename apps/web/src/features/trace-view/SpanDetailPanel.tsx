// The opened span: its payloads are fetched only now (GET /api/v1/traces/{id}/spans/{spanId}).
// LLM calls read as a conversation with their model parameters, tool calls as arguments and
// result trees, retrievals as their ranked documents; then the token breakdown, events (also
// handed up, so the waterfall can mark them), links to linked traces and the raw attributes.

import { useEffect, type ReactNode } from 'react';
import { fetchSpanDetail } from '../../api/api-client.js';
import type { ApiSpanDetail } from '../../api/api-types.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { JsonTree } from '../../components/JsonTree.js';
import { Link } from '../../components/Link.js';
import { SpanTypeBadge } from '../../components/SpanTypeBadge.js';
import { useApi } from '../../components/use-api.js';
import { parseJsonText } from '../../model/chat-transcript.js';
import { formatCostUsd, formatDurationMs, formatTimestamp } from '../../model/format.js';
import { modelParameters } from '../../model/model-parameters.js';
import { retrievalDocuments } from '../../model/retrieval-documents.js';
import { classifySpanEvent, SPAN_EVENT_LABELS } from '../../model/span-events.js';
import type { SpanNode } from '../../model/span-tree.js';
import { ChatTranscript } from './ChatTranscript.js';
import { RetrievedDocuments } from './RetrievedDocuments.js';

function Section({ title, children, open = true }: { title: string; children: ReactNode; open?: boolean }) {
  return (
    <details className="section" open={open}>
      <summary>{title}</summary>
      {children}
    </details>
  );
}

function TokenBreakdown({ detail }: { detail: ApiSpanDetail }) {
  const usage = detail.usage;
  const cells: [string, number | string][] = [
    ['Input', usage.inputTokens],
    ['Output', usage.outputTokens],
    ['Total', usage.inputTokens + usage.outputTokens],
    ['Cache read', usage.cacheReadTokens],
    ['Cache write', usage.cacheWriteTokens],
    ['Reasoning', usage.reasoningTokens],
  ];
  return (
    <div className="tokens" role="list" aria-label="Token usage">
      {cells.map(([label, value]) => (
        <div className="cell" role="listitem" key={label}>
          <span>{label}</span>
          <b>{typeof value === 'number' ? value.toLocaleString('en-US') : value}</b>
        </div>
      ))}
    </div>
  );
}

function Overview({ detail, node }: { detail: ApiSpanDetail; node: SpanNode }) {
  const rows: [string, ReactNode][] = [
    ['Type', detail.spanType],
    ['Service', detail.serviceName],
    ['Started', formatTimestamp(detail.startTime)],
    ['Duration', formatDurationMs(detail.durationMs)],
    ['Self time', formatDurationMs(node.selfTimeMs)],
    ['Status', detail.status.code === 'error' ? <span className="status-error">error{detail.status.message ? `: ${detail.status.message}` : ''}</span> : detail.status.code],
  ];
  if (detail.model) rows.push(['Model', <span className="mono">{detail.model}</span>]);
  if (detail.requestModel && detail.requestModel !== detail.model) rows.push(['Requested model', <span className="mono">{detail.requestModel}</span>]);
  if (detail.provider) rows.push(['Provider', detail.provider]);
  if (detail.operation) rows.push(['Operation', detail.operation]);
  if (detail.agentName) rows.push(['Agent', detail.agentName]);
  if (detail.toolName) rows.push(['Tool', <span className="mono">{detail.toolName}</span>]);
  if (detail.toolCallId) rows.push(['Tool call id', <span className="mono">{detail.toolCallId}</span>]);
  if (detail.costUsd !== null && detail.costUsd > 0) rows.push(['Cost', formatCostUsd(detail.costUsd)]);
  if (detail.sessionId) rows.push(['Session', <Link href={`/sessions/${encodeURIComponent(detail.sessionId)}`}>{detail.sessionId}</Link>]);
  if (detail.userId) rows.push(['User', detail.userId]);
  rows.push(['Span id', <span className="mono">{detail.spanId}</span>]);
  return (
    <dl className="kv">
      {rows.map(([label, value]) => (
        <div key={label} style={{ display: 'contents' }}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function ModelParameters({ detail }: { detail: ApiSpanDetail }) {
  const parameters = modelParameters(detail.attributes);
  if (parameters.length === 0) return null;
  return (
    <Section title="Model parameters">
      <dl className="kv" aria-label="Model parameters">
        {parameters.map((parameter) => (
          <div key={parameter.name} style={{ display: 'contents' }}>
            <dt className="mono">{parameter.name}</dt>
            <dd className="mono">{parameter.value}</dd>
          </div>
        ))}
      </dl>
    </Section>
  );
}

function PayloadSections({ detail }: { detail: ApiSpanDetail }) {
  if (detail.spanType === 'retrieval' || detail.spanType === 'reranker') {
    const documents = retrievalDocuments(detail.output, detail.attributes);
    if (documents !== null) {
      return (
        <>
          {detail.input !== null && (
            <Section title="Query">
              {typeof detail.input === 'string' ? <div className="msg-text">{detail.input}</div> : <JsonTree value={detail.input} label="Query" />}
            </Section>
          )}
          <Section title={`Documents (${documents.length})`}>
            <RetrievedDocuments documents={documents} />
          </Section>
        </>
      );
    }
  }
  if (detail.spanType === 'llm' || detail.spanType === 'agent' || detail.spanType === 'chain') {
    if (detail.input === null && detail.output === null) return null;
    return (
      <Section title={detail.spanType === 'llm' ? 'Messages' : 'Input and output'}>
        <ChatTranscript input={detail.input} output={detail.output} />
      </Section>
    );
  }
  return (
    <>
      {detail.input !== null && (
        <Section title={detail.spanType === 'tool' ? 'Arguments' : 'Input'}>
          <JsonTree value={parseJsonText(detail.input)} openDepth={3} label="Input" />
        </Section>
      )}
      {detail.output !== null && (
        <Section title={detail.spanType === 'tool' ? 'Result' : 'Output'}>
          <JsonTree value={parseJsonText(detail.output)} openDepth={3} label="Output" />
        </Section>
      )}
    </>
  );
}

function relativeMs(eventNs: string, spanStartNs: string): string {
  const deltaMs = Number((BigInt(eventNs) - BigInt(spanStartNs)) / 1000n) / 1000;
  return `+${formatDurationMs(deltaMs)}`;
}

export function SpanDetailPanel({ traceId, node, onClose, onLoaded }: { traceId: string; node: SpanNode; onClose: () => void; onLoaded?: (detail: ApiSpanDetail) => void }) {
  const { state, reload } = useApi((signal) => fetchSpanDetail(traceId, node.spanId, signal), `${traceId}/${node.spanId}/${node.span === null}`);
  const span = node.span;
  const loaded = state.status === 'ready' ? state.data : null;
  useEffect(() => {
    if (loaded !== null) onLoaded?.(loaded);
  }, [loaded]);
  return (
    <aside className="detail-panel" aria-label="Span details">
      <div className="detail-head">
        <h2>
          <SpanTypeBadge type={span?.spanType ?? null} />
          <span>{span ? span.name : 'Missing span'}</span>
          <button type="button" className="btn small close" onClick={onClose} aria-label="Close span details">
            ✕
          </button>
        </h2>
        {span && (
          <div className="meta">
            <span>{formatDurationMs(span.durationMs)}</span>
            {span.model && <span className="mono">{span.model}</span>}
            {span.usage.inputTokens + span.usage.outputTokens > 0 && <span>{(span.usage.inputTokens + span.usage.outputTokens).toLocaleString('en-US')} tokens</span>}
            {span.status.code === 'error' && <span className="status-error">error</span>}
          </div>
        )}
      </div>
      <div className="detail-scroll">
        {span === null ? (
          <p className="detail-placeholder">
            This span ({node.spanId}) is referenced as a parent by {node.children.length} span{node.children.length === 1 ? '' : 's'} but was never received. Its exporter may have
            dropped it, or it has not been flushed yet.
          </p>
        ) : state.status === 'loading' ? (
          <p className="loading">Loading span…</p>
        ) : state.status === 'error' ? (
          <ErrorBanner error={state.error} onRetry={reload} />
        ) : (
          <>
            <PayloadSections detail={state.data} />
            {(state.data.spanType === 'llm' || state.data.spanType === 'embedding') && <ModelParameters detail={state.data} />}
            {(state.data.hasUsage || state.data.spanType === 'llm') && (
              <Section title="Tokens">
                <TokenBreakdown detail={state.data} />
              </Section>
            )}
            <Section title="Overview">
              <Overview detail={state.data} node={node} />
            </Section>
            {state.data.events.length > 0 && (
              <Section title={`Events (${state.data.events.length})`}>
                {state.data.events.map((event, index) => (
                  <div key={index}>
                    <div className="event">
                      <span className="when">{relativeMs(event.timeUnixNano, state.data.startTimeUnixNano)}</span>
                      <span className={`event-kind kind-${classifySpanEvent(event)}`}>{SPAN_EVENT_LABELS[classifySpanEvent(event)]}</span>
                      <b>{event.name}</b>
                    </div>
                    {Object.keys(event.attributes).length > 0 && <JsonTree value={event.attributes} openDepth={0} />}
                  </div>
                ))}
              </Section>
            )}
            {state.data.links.length > 0 && (
              <Section title={`Links (${state.data.links.length})`}>
                {state.data.links.map((link) => (
                  <div key={`${link.traceId}/${link.spanId}`}>
                    <div className="event">
                      <span className="when">{link.traceId === traceId ? 'this trace' : 'other trace'}</span>
                      <Link href={`/traces/${link.traceId}?span=${link.spanId}`}>
                        <span className="mono">
                          {link.traceId.slice(0, 12)}…/{link.spanId}
                        </span>
                      </Link>
                    </div>
                    {Object.keys(link.attributes).length > 0 && <JsonTree value={link.attributes} openDepth={0} />}
                  </div>
                ))}
              </Section>
            )}
            <Section title="Attributes" open={false}>
              <JsonTree value={state.data.attributes} openDepth={1} label="Span attributes" />
            </Section>
            <Section title="Resource" open={false}>
              <JsonTree value={state.data.resource.attributes} openDepth={1} label="Resource attributes" />
            </Section>
          </>
        )}
      </div>
    </aside>
  );
}
