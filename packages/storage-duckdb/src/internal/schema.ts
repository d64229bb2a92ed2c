// DDL of the DuckDB store. Tables (all keyed by project_id first):
//   spans            hot row per span: promoted semantic columns, small attributes JSON (stored
//                    form), events/links JSON, origin_key → origins. Never indexed: lookups prune
//                    by start_ns, whose zone maps are tight because spans arrive roughly in time order.
//   span_payloads    per span with input/output or large attributes (zstd-compressed text).
//   origins          distinct (resource, scope) pairs; spans point at them by content hash.
//   trace_parts      one partial summary per (trace, written batch); aggregated at read. Small,
//                    so the trace list, trace-id → time window and dedupe lookups scan it, not spans.
//   detached_events  events that arrived apart from their span (OTLP logs).
//   live_spans       snapshots of running spans (live-spans-sql.ts); added without a schema bump.
//   trace_analyses   the persisted analysis of a trace (findings-sql.ts): one row per trace,
//                    replaced when the trace is analyzed again. Added without a schema bump
//                    (CREATE IF NOT EXISTS): older stores gain it empty.
// Times are BIGINT nanoseconds; tokens DOUBLE (exact for integers below 2^53).
// content_derived: the span's input/output are not stored but derived again from its raw
// attributes and events by @cairn/semantic on read (spans normalized on ingest; added after
// schema version 2 shipped, so older tables gain it as a nullable column, NULL = stored).
// semantics / normalizer_version (span-rewrite.ts): the optional semantic fields as compact JSON
// and the normalizer version that made the row's semantic columns; added the same way (NULL on
// older rows: fields absent, version 0), rewritten by updateSpanSemantics.
// batch_seq numbers the written batches (1, 2, …). Rows are appended in batch order, so its zone
// maps are exact: a trace's parts name the batches holding its spans, and reading them touches
// only those batches' row groups however many other traces overlap the trace in time.
// call_agent (call-agents.ts): the agent a model call counts for under groupBy=agent, filled in
// the background once its trace is quiet; NULL = not resolved (ingest writes NULL).
// trace_key (trace-key.ts, spans and trace_parts): the trace id's last 8 hex digits as a number,
// compared before the id in a trace's lookups; NULL in spans rows written before it existed.

import { LIVE_SPANS_SCHEMA_SQL } from './live-spans-sql.js';
import { SPAN_SEMANTICS_SCHEMA_SQL } from './span-rewrite.js';
import { CALL_AGENT_SCHEMA_SQL } from './call-agents.js';
import { TRACE_KEY_SCHEMA_SQL } from './trace-key.js';

export const SCHEMA_VERSION = 2;

export const SCHEMA_SQL = [
  `CREATE TABLE IF NOT EXISTS cairn_meta (key VARCHAR PRIMARY KEY, value VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS spans (
    project_id VARCHAR, trace_id VARCHAR, span_id VARCHAR, parent_span_id VARCHAR,
    trace_state VARCHAR, flags UINTEGER, name VARCHAR, kind UTINYINT,
    start_ns BIGINT, end_ns BIGINT,
    status_code UTINYINT, status_message VARCHAR,
    service_name VARCHAR, origin_key VARCHAR,
    span_type VARCHAR, model VARCHAR, request_model VARCHAR, provider VARCHAR, operation VARCHAR,
    agent_name VARCHAR, tool_name VARCHAR, tool_call_id VARCHAR, session_id VARCHAR, user_id VARCHAR,
    input_tokens DOUBLE, output_tokens DOUBLE, cache_read_tokens DOUBLE, cache_write_tokens DOUBLE,
    reasoning_tokens DOUBLE, has_usage BOOLEAN, cost_usd DOUBLE,
    input_preview VARCHAR, output_preview VARCHAR, dialects VARCHAR,
    attributes VARCHAR USING COMPRESSION zstd, dropped_attributes_count UINTEGER, has_payload BOOLEAN,
    events VARCHAR USING COMPRESSION zstd, dropped_events_count UINTEGER,
    links VARCHAR, dropped_links_count UINTEGER,
    received_ns BIGINT, batch_seq BIGINT, content_derived BOOLEAN
  )`,
  `ALTER TABLE spans ADD COLUMN IF NOT EXISTS content_derived BOOLEAN`,
  `CREATE TABLE IF NOT EXISTS span_payloads (
    project_id VARCHAR, trace_id VARCHAR, span_id VARCHAR, start_ns BIGINT,
    input VARCHAR USING COMPRESSION zstd, output VARCHAR USING COMPRESSION zstd,
    attributes VARCHAR USING COMPRESSION zstd, batch_seq BIGINT
  )`,
  `CREATE TABLE IF NOT EXISTS origins (
    origin_key VARCHAR, resource_attributes VARCHAR, resource_dropped UINTEGER, resource_schema_url VARCHAR,
    scope_name VARCHAR, scope_version VARCHAR, scope_attributes VARCHAR, scope_schema_url VARCHAR
  )`,
  `CREATE TABLE IF NOT EXISTS trace_parts (
    project_id VARCHAR, trace_id VARCHAR,
    min_start_ns BIGINT, max_start_ns BIGINT, max_end_ns BIGINT,
    has_root BOOLEAN, root_name VARCHAR, root_service VARCHAR,
    first_service VARCHAR,
    span_count INTEGER, error_count INTEGER, llm_calls INTEGER, tool_calls INTEGER,
    input_tokens DOUBLE, output_tokens DOUBLE, cost_usd DOUBLE,
    models VARCHAR[], agents VARCHAR[], tools VARCHAR[], services VARCHAR[], span_types VARCHAR[], providers VARCHAR[],
    session_id VARCHAR, session_start_ns BIGINT, user_id VARCHAR, user_start_ns BIGINT,
    batch_seq BIGINT
  )`,
  // When the part's newest span was received (listDueTraces reads parts, not spans); added after
  // schema version 2 shipped: older parts get it at open (backfillPartsReceived).
  `ALTER TABLE trace_parts ADD COLUMN IF NOT EXISTS max_received_ns BIGINT`,
  `CREATE TABLE IF NOT EXISTS trace_analyses (
    project_id VARCHAR, trace_id VARCHAR, trace_start_ns BIGINT, analysis_version INTEGER,
    received_through_ns BIGINT, analyzed_ns BIGINT, kinds VARCHAR[], findings VARCHAR
  )`,
  `CREATE TABLE IF NOT EXISTS detached_events (
    project_id VARCHAR, trace_id VARCHAR, span_id VARCHAR, time_ns BIGINT, name VARCHAR, event VARCHAR
  )`,
  LIVE_SPANS_SCHEMA_SQL,
  ...SPAN_SEMANTICS_SCHEMA_SQL,
  // After normalizer_version: the appender writes columns by position (span-row.ts SPAN_LAYOUT).
  CALL_AGENT_SCHEMA_SQL,
  ...TRACE_KEY_SCHEMA_SQL,
];
