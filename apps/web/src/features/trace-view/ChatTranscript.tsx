// An LLM call as a conversation: system, user, assistant and tool messages, with tool calls
// (name and arguments) and tool results inline.

import type { ApiMessagePart } from '../../api/api-types.js';
import { JsonTree } from '../../components/JsonTree.js';
import { buildTranscript, parseJsonText } from '../../model/chat-transcript.js';

function Part({ part }: { part: ApiMessagePart }) {
  if (part.type === 'text') return <div className="msg-text">{part.text}</div>;
  if (part.type === 'tool_call') {
    return (
      <div className="tool-call" aria-label={`Tool call ${part.name}`}>
        <div className="title">
          <span className="badge" style={{ ['--badge' as string]: 'var(--type-tool)' }}>CALL</span>
          <span className="mono">{part.name}</span>
          {part.id && <span className="dim mono">{part.id}</span>}
        </div>
        <JsonTree value={parseJsonText(part.arguments)} label={`Arguments of ${part.name}`} />
      </div>
    );
  }
  return (
    <div className="tool-call" aria-label="Tool result">
      <div className="title">
        <span className="badge" style={{ ['--badge' as string]: 'var(--type-retrieval)' }}>RESULT</span>
        {part.id && <span className="dim mono">{part.id}</span>}
      </div>
      {typeof part.result === 'string' && parseJsonText(part.result) === part.result ? <div className="msg-text">{part.result}</div> : <JsonTree value={parseJsonText(part.result)} label="Tool result" />}
    </div>
  );
}

const KNOWN_ROLES = new Set(['system', 'user', 'assistant', 'tool']);

export function ChatTranscript({ input, output }: { input: unknown; output: unknown }) {
  const entries = buildTranscript(input, output);
  if (entries.length === 0) return <p className="dim">No messages were recorded for this call.</p>;
  return (
    <ol className="transcript" aria-label="Conversation" style={{ listStyle: 'none', margin: 0, padding: 0 }}>
      {entries.map((entry, index) =>
        entry.kind === 'message' ? (
          <li key={index} className={`msg role-${KNOWN_ROLES.has(entry.role) ? entry.role : 'system'}`} aria-label={`${entry.role} message`}>
            <div className="msg-role">
              {entry.role}
              {entry.fromOutput && <span className="tag">· response</span>}
            </div>
            {entry.parts.map((part, partIndex) => (
              <Part key={partIndex} part={part} />
            ))}
          </li>
        ) : (
          <li key={index} className="msg role-system" aria-label={`raw ${entry.label}`}>
            <div className="msg-role">{entry.label}</div>
            {typeof entry.value === 'string' ? <div className="msg-text">{entry.value}</div> : <JsonTree value={entry.value} />}
          </li>
        ),
      )}
    </ol>
  );
}
