// Traceloop's LangChain instrumentation names a tool span after the tool's class
// (`execute_tool DynamicStructuredTool`, `traceloop.entity.name` DynamicStructuredTool, kind
// `task`) and sets no gen_ai.tool.*: the tool's own name and call id are only in the ToolMessage
// it serializes into `traceloop.entity.output`.

import type { AttributeMap } from '@cairn/model';
import type { ExtractNotes } from '../dialect.js';
import { isRecord, parseJsonText } from '../internal/attribute-readers.js';

export interface ToolMessageFields {
  toolName?: string;
  toolCallId?: string;
}

/** `{"lc":1,"type":"constructor","id":[…,"ToolMessage"],"kwargs":{"name","tool_call_id",…}}`, else nothing. */
export function langChainToolMessage(attributes: AttributeMap, notes?: ExtractNotes): ToolMessageFields {
  if (attributes['gen_ai.operation.name'] !== 'execute_tool') return {};
  const raw = attributes['traceloop.entity.output'];
  if (typeof raw !== 'string' || !raw.includes('ToolMessage')) return {};
  const parsed = parseJsonText(raw);
  if (!isRecord(parsed) || !Array.isArray(parsed.id) || parsed.id[parsed.id.length - 1] !== 'ToolMessage' || !isRecord(parsed.kwargs)) return {};
  const { name, tool_call_id: callId } = parsed.kwargs;
  const fields: ToolMessageFields = {};
  if (typeof name === 'string' && name !== '') {
    fields.toolName = name;
    notes?.source('toolName', 'traceloop.entity.output kwargs.name (LangChain ToolMessage)');
  }
  if (typeof callId === 'string' && callId !== '') {
    fields.toolCallId = callId;
    notes?.source('toolCallId', 'traceloop.entity.output kwargs.tool_call_id (LangChain ToolMessage)');
  }
  return fields;
}
