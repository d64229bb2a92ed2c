// The documents a retrieval (or reranker) span returned, with their scores. The output of such a
// span is the raw `gen_ai.retrieval.documents` value (a JSON list of {id, score, content, …},
// see packages/semantic); OpenInference flattens the same list into
// `retrieval.documents.<i>.document.{id,score,content,metadata}` attributes, and LangChain
// documents carry `page_content`.

import { parseJsonText } from './chat-transcript.js';

export interface RetrievedDocument {
  id: string | null;
  score: number | null;
  content: string | null;
  metadata: unknown;
}

const CONTENT_KEYS = ['content', 'text', 'page_content', 'pageContent', 'chunk'];

function asNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

function toDocument(item: unknown): RetrievedDocument | null {
  if (typeof item === 'string') return { id: null, score: null, content: item, metadata: null };
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return null;
  let record = item as Record<string, unknown>;
  // OpenInference nests the fields under `document`.
  if (typeof record['document'] === 'object' && record['document'] !== null) record = { ...record, ...(record['document'] as Record<string, unknown>) };
  const contentKey = CONTENT_KEYS.find((key) => typeof record[key] === 'string');
  const id = record['id'] ?? record['document_id'] ?? record['source'];
  const score = asNumber(record['score'] ?? record['relevance_score'] ?? record['similarity']);
  if (contentKey === undefined && id === undefined && score === null) return null;
  return {
    id: id === undefined || id === null ? null : String(id),
    score,
    content: contentKey === undefined ? null : (record[contentKey] as string),
    metadata: parseJsonText(record['metadata'] ?? null),
  };
}

function fromFlattenedAttributes(attributes: Record<string, unknown>): unknown[] {
  const byIndex = new Map<number, Record<string, unknown>>();
  for (const [key, value] of Object.entries(attributes)) {
    const match = /^(?:retrieval|reranker\.output)\.documents\.(\d+)\.document\.(\w+)$/.exec(key);
    if (!match) continue;
    const index = Number(match[1]);
    const record = byIndex.get(index) ?? {};
    record[match[2]!] = value;
    byIndex.set(index, record);
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, record]) => record);
}

/** The retrieved documents, or null when neither the output nor the attributes hold a document list. */
export function retrievalDocuments(output: unknown, attributes: Record<string, unknown> = {}): RetrievedDocument[] | null {
  const parsed = parseJsonText(output);
  const candidates = Array.isArray(parsed) && parsed.length > 0 ? parsed : fromFlattenedAttributes(attributes);
  if (candidates.length === 0) return null;
  const documents: RetrievedDocument[] = [];
  for (const item of candidates) {
    const document = toDocument(item);
    if (document === null) return null;
    documents.push(document);
  }
  return documents;
}
