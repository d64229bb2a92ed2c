// A session as one conversation: each trace is a turn (the user's input, the agent's answer),
// oldest first, each linking to its trace. Turns load a few at a time and appear as they arrive.

import { useEffect, useState } from 'react';
import type { ApiTraceSummary } from '../../api/api-types.js';
import { Link } from '../../components/Link.js';
import { formatDurationMs, formatTimestamp } from '../../model/format.js';
import { tracesInConversationOrder, type ConversationTurn } from '../../model/session-transcript.js';
import { loadConversationTurn } from './load-conversation-turn.js';

const PARALLEL_LOADS = 3;

type TurnState = { status: 'loading' } | { status: 'ready'; turn: ConversationTurn } | { status: 'error' };

export function SessionConversation({ traces }: { traces: readonly ApiTraceSummary[] }) {
  const ordered = tracesInConversationOrder(traces);
  const key = ordered.map((trace) => trace.traceId).join(',');
  const [turns, setTurns] = useState<Map<string, TurnState>>(() => new Map());

  useEffect(() => {
    const controller = new AbortController();
    setTurns(new Map());
    let next = 0;
    const worker = async () => {
      while (next < ordered.length && !controller.signal.aborted) {
        const trace = ordered[next++]!;
        let state: TurnState;
        try {
          state = { status: 'ready', turn: await loadConversationTurn(trace, controller.signal) };
        } catch {
          state = { status: 'error' };
        }
        if (controller.signal.aborted) return;
        setTurns((previous) => new Map(previous).set(trace.traceId, state));
      }
    };
    for (let index = 0; index < PARALLEL_LOADS; index++) void worker();
    return () => controller.abort();
    // `ordered` is keyed by `key`.
  }, [key]);

  if (ordered.length === 0) return <p className="dim">This session has no traces in the stored window.</p>;
  return (
    <ol className="conversation" aria-label="Session conversation">
      {ordered.map((trace, index) => {
        const state = turns.get(trace.traceId) ?? { status: 'loading' };
        return (
          <li key={trace.traceId} className="turn" aria-label={`Turn ${index + 1}`}>
            <div className="turn-head">
              <span className="turn-number">Turn {index + 1}</span>
              <span className="dim">{formatTimestamp(trace.startTime)}</span>
              <span className="dim">{formatDurationMs(trace.durationMs)}</span>
              {trace.errorCount > 0 && <span className="status-error">{trace.errorCount} error{trace.errorCount === 1 ? '' : 's'}</span>}
              <Link href={`/traces/${trace.traceId}`} className="turn-link">
                Open trace {trace.rootName}
              </Link>
            </div>
            {state.status === 'loading' && <p className="loading">Loading…</p>}
            {state.status === 'error' && <p className="dim">This turn could not be loaded; open its trace.</p>}
            {state.status === 'ready' && (
              <>
                <div className="msg role-user" aria-label="user message">
                  <div className="msg-role">user</div>
                  <div className="msg-text">{state.turn.userText ?? <span className="dim">(no input recorded)</span>}</div>
                </div>
                <div className="msg role-assistant" aria-label="assistant message">
                  <div className="msg-role">assistant</div>
                  <div className="msg-text">{state.turn.assistantText ?? <span className="dim">{state.turn.failed ? '(the run failed before answering)' : '(no answer recorded)'}</span>}</div>
                </div>
              </>
            )}
          </li>
        );
      })}
    </ol>
  );
}
