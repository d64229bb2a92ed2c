// Cairn conventions: `cairn.span.type` (written by @cairn/sdk on every typed span, e.g. voice,
// guardrail, evaluator), `cairn.prompt.version`, `cairn.voice.*`, and the vocabulary our product
// texts teach: ai.model_provider / ai.model_name / ai.prompt_version, rag.*, eval.*, voice.*,
// tool_name + error_code, and the span names rag.retrieve, rag.validate, eval.run,
// voice.capture / .transcribe / .synthesize, tool.invoke:<name>.

import type { AttributeMap, SpanType, WireSpan } from '@cairn/model';
import { SPAN_TYPES } from '@cairn/model';
import type { Dialect, DialectFields, ExtractNotes } from '../dialect.js';
import { canonicalProviderName } from '../internal/provider-name.js';
import { HINT_CAIRN } from './dialect-hints.js';
import { describeValue, firstText, hasKeyWithPrefix, textValue } from './dialect-readers.js';

const KNOWN_TYPES: ReadonlySet<string> = new Set(SPAN_TYPES);

/** Span names that declare a type (exact, or a prefix ending in '.' / ':'). */
const NAME_SPAN_TYPES: ReadonlyArray<readonly [string, SpanType]> = [
  ['rag.retrieve', 'retrieval'],
  ['rag.validate', 'evaluator'],
  ['eval.', 'evaluator'],
  ['voice.', 'voice'],
  ['tool.invoke', 'tool'],
  ['llm.generate', 'llm'],
];

export const cairnConventionsDialect: Dialect = {
  name: 'cairn',

  detect(_span: WireSpan, hints: number): boolean {
    return (hints & HINT_CAIRN) !== 0;
  },

  extract(span: WireSpan, notes?: ExtractNotes): DialectFields {
    const attributes = span.attributes;
    const [spanType, isGuess] = spanTypeOf(span, notes);
    const providerText = firstText(attributes, ['ai.model_provider', 'cairn.voice.provider', 'voice.tts.vendor'], 'provider', notes);
    const model = firstText(attributes, ['ai.model_name', 'cairn.voice.model'], 'model', notes);
    return {
      spanType,
      spanTypeIsGuess: isGuess,
      model,
      requestModel: model,
      provider: providerText === undefined ? providerOfModel(model) : canonicalProviderName(providerText),
      promptVersion: firstText(attributes, ['cairn.prompt.version', 'ai.prompt_version'], 'promptVersion', notes),
      toolName: firstText(attributes, ['tool_name'], 'toolName', notes) ?? toolNameOfSpanName(span.name, notes),
      errorType: firstText(attributes, ['error_code'], 'errorType', notes),
    };
  },
};

function spanTypeOf(span: WireSpan, notes?: ExtractNotes): [SpanType | undefined, boolean] {
  const declared = textValue(span.attributes['cairn.span.type']);
  if (declared !== undefined) {
    if (KNOWN_TYPES.has(declared)) {
      notes?.source('spanType', 'cairn.span.type');
      return [declared as SpanType, false];
    }
    notes?.problem('cairn.span.type', `unknown span type ${describeValue(declared)}`);
  }
  for (const [prefix, type] of NAME_SPAN_TYPES) {
    if (span.name === prefix || (span.name.startsWith(prefix) && (prefix.endsWith('.') || /^[.:\s]/.test(span.name.slice(prefix.length))))) {
      notes?.source('spanType', 'span name');
      return [type, false];
    }
  }
  // Attribute families alone are a weaker signal: any dialect's declared type beats them.
  const guess = guessFromAttributes(span.attributes);
  if (guess !== undefined) notes?.source('spanType', `${guess[1]}* attributes (guess)`);
  return [guess?.[0], guess !== undefined];
}

function guessFromAttributes(attributes: AttributeMap): [SpanType, string] | undefined {
  if (hasKeyWithPrefix(attributes, 'rag.')) return ['retrieval', 'rag.'];
  if (hasKeyWithPrefix(attributes, 'eval.')) return ['evaluator', 'eval.'];
  if (hasKeyWithPrefix(attributes, 'voice.') || hasKeyWithPrefix(attributes, 'cairn.voice.')) return ['voice', 'voice.'];
  if (attributes.tool_name !== undefined) return ['tool', 'tool_name'];
  return undefined;
}

/** `ai.model_name = "anthropic/claude-3-5"` names its provider when ai.model_provider is absent. */
function providerOfModel(model: string | undefined): string | undefined {
  if (model === undefined) return undefined;
  const slash = model.indexOf('/');
  return slash > 0 ? canonicalProviderName(model.slice(0, slash)) : undefined;
}

/** `tool.invoke:file_search` → file_search. */
function toolNameOfSpanName(name: string, notes?: ExtractNotes): string | undefined {
  if (!name.startsWith('tool.invoke:')) return undefined;
  const tool = name.slice('tool.invoke:'.length).trim();
  if (tool === '') return undefined;
  notes?.source('toolName', 'span name');
  return tool;
}
