// The trace list's filter bar. Text inputs apply on Enter or blur (not on every keystroke, so
// the list does not refetch mid-word); selects apply at once.

import { useEffect, useState } from 'react';
import { fetchAttributeCatalog } from '../../api/api-client.js';
import { SuggestInput } from '../../components/SuggestInput.js';
import { suggestionQuery, suggestionsOf, type SuggestionSource } from '../../model/filter-suggestions.js';
import { TIME_RANGE_PRESETS } from '../../model/time-range.js';
import { activeFilterCount, emptyFilters, type TextFilterKey, type TraceFilters } from '../../model/trace-filters.js';

/** Filters whose values the attribute catalog suggests (GET /api/v1/attributes?field=…). */
const SUGGESTED_INPUTS: { key: TextFilterKey & ('model' | 'agent' | 'tool' | 'service'); label: string; placeholder: string }[] = [
  { key: 'model', label: 'Model', placeholder: 'gpt-4o' },
  { key: 'agent', label: 'Agent', placeholder: 'any agent' },
  { key: 'tool', label: 'Tool', placeholder: 'any tool' },
  { key: 'service', label: 'Service', placeholder: 'any service' },
];

const TEXT_INPUTS: { key: TextFilterKey; label: string; placeholder: string }[] = [
  { key: 'sessionId', label: 'Session', placeholder: 'session id' },
  { key: 'userId', label: 'User', placeholder: 'user id' },
];

const FINDING_KINDS: { id: string; label: string }[] = [
  { id: 'tool_loop', label: 'tool loop' },
  { id: 'straggler', label: 'fan-out straggler' },
  { id: 'retry_storm', label: 'retry storm' },
  { id: 'handoff_ping_pong', label: 'hand-off ping-pong' },
  { id: 'context_blowup', label: 'context blow-up' },
  { id: 'broken_trace', label: 'broken trace' },
];

const SPAN_TYPES = ['agent', 'llm', 'embedding', 'tool', 'retrieval', 'reranker', 'chain', 'guardrail', 'evaluator', 'voice', 'memory', 'other'];

function TextFilter({ id, label, placeholder, value, onCommit, className }: { id: string; label: string; placeholder: string; value: string; onCommit: (value: string) => void; className?: string }) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className={className}
        type={className === 'search' ? 'search' : 'text'}
        value={draft}
        placeholder={placeholder}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={() => draft !== value && onCommit(draft)}
        onKeyDown={(event) => {
          if (event.key === 'Enter') onCommit(draft);
        }}
      />
    </div>
  );
}

export function TraceFilterBar({ filters, onChange, onRefresh }: { filters: TraceFilters; onChange: (next: TraceFilters) => void; onRefresh: () => void }) {
  const setText = (key: TextFilterKey, value: string) => onChange({ ...filters, text: { ...filters.text, [key]: value.trim() || undefined } });
  const suggest = (source: SuggestionSource) => async (typed: string, signal: AbortSignal) =>
    suggestionsOf(await fetchAttributeCatalog(suggestionQuery(source, filters.range, Date.now(), typed), signal), typed);
  // The attribute filter applies once it has both a key and a value; a key alone waits for its value.
  const [attributeKey, setAttributeKey] = useState(filters.attribute?.key ?? '');
  useEffect(() => setAttributeKey(filters.attribute?.key ?? ''), [filters.attribute?.key]);
  const setAttribute = (key: string, value: string) =>
    onChange({ ...filters, attribute: key.trim() !== '' && value.trim() !== '' ? { key: key.trim(), value: value.trim() } : null });
  return (
    <form className="filters" role="search" aria-label="Trace filters" onSubmit={(event) => event.preventDefault()}>
      <div className="field">
        <label htmlFor="filter-range">Time range</label>
        <select id="filter-range" value={filters.range} onChange={(event) => onChange({ ...filters, range: event.target.value })}>
          {TIME_RANGE_PRESETS.map((preset) => (
            <option key={preset.id} value={preset.id}>
              {preset.label}
            </option>
          ))}
        </select>
      </div>
      <TextFilter id="filter-q" label="Search" className="search" placeholder="Text in names, inputs, outputs" value={filters.text.q ?? ''} onCommit={(value) => setText('q', value)} />
      {SUGGESTED_INPUTS.map((input) => (
        <SuggestInput
          key={input.key}
          id={`filter-${input.key}`}
          label={input.label}
          placeholder={input.placeholder}
          value={filters.text[input.key] ?? ''}
          onCommit={(value) => setText(input.key, value)}
          loadSuggestions={suggest({ field: input.key })}
        />
      ))}
      <SuggestInput
        id="filter-attr-key"
        label="Attribute"
        placeholder="attribute key"
        value={attributeKey}
        onCommit={(key) => {
          setAttributeKey(key.trim());
          if (filters.attribute) setAttribute(key, filters.attribute.value);
        }}
        loadSuggestions={suggest({ attributeKeys: true })}
      />
      <SuggestInput
        id="filter-attr-value"
        label="equals"
        placeholder={attributeKey === '' ? 'pick a key first' : 'value'}
        value={filters.attribute?.value ?? ''}
        onCommit={(value) => setAttribute(attributeKey, value)}
        loadSuggestions={async (typed, signal) => (attributeKey === '' ? [] : suggest({ attributeKey })(typed, signal))}
      />
      {TEXT_INPUTS.map((input) => (
        <TextFilter key={input.key} id={`filter-${input.key}`} label={input.label} placeholder={input.placeholder} value={filters.text[input.key] ?? ''} onCommit={(value) => setText(input.key, value)} />
      ))}
      <div className="field">
        <label htmlFor="filter-spanType">Span type</label>
        <select id="filter-spanType" value={filters.text.spanType ?? ''} onChange={(event) => setText('spanType', event.target.value)}>
          <option value="">any</option>
          {SPAN_TYPES.map((type) => (
            <option key={type} value={type}>
              {type}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-status">Status</label>
        <select id="filter-status" value={filters.status ?? ''} onChange={(event) => onChange({ ...filters, status: event.target.value === 'error' || event.target.value === 'ok' ? event.target.value : null })}>
          <option value="">any</option>
          <option value="error">with errors</option>
          <option value="ok">without errors</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-finding">Finding</label>
        <select id="filter-finding" value={filters.text.finding ?? ''} onChange={(event) => setText('finding', event.target.value)}>
          <option value="">any</option>
          {FINDING_KINDS.map((kind) => (
            <option key={kind.id} value={kind.id}>
              {kind.label}
            </option>
          ))}
        </select>
      </div>
      <div className="actions">
        {activeFilterCount(filters) > 0 && (
          <button type="button" className="btn" onClick={() => onChange({ ...emptyFilters(), range: filters.range })}>
            Clear filters
          </button>
        )}
        <button type="button" className="btn" onClick={onRefresh} aria-label="Refresh the list">
          ↻ Refresh
        </button>
      </div>
    </form>
  );
}
