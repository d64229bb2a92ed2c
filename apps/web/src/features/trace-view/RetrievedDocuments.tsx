// A retrieval's documents in the order the retriever ranked them, each with its score (as a bar
// when scores are similarities in 0..1), its id, its text and its metadata.

import { JsonTree } from '../../components/JsonTree.js';
import type { RetrievedDocument } from '../../model/retrieval-documents.js';

function formatScore(score: number): string {
  return Math.abs(score) >= 100 ? score.toFixed(0) : Math.abs(score) >= 1 ? score.toFixed(2) : score.toFixed(3);
}

export function RetrievedDocuments({ documents }: { documents: readonly RetrievedDocument[] }) {
  const unitScores = documents.every((document) => document.score === null || (document.score >= 0 && document.score <= 1));
  return (
    <ol className="documents" aria-label="Retrieved documents">
      {documents.map((document, index) => (
        <li key={index} className="document" aria-label={`Document ${index + 1}${document.id ? ` ${document.id}` : ''}`}>
          <div className="document-head">
            <span className="dim">#{index + 1}</span>
            {document.id && <span className="mono document-id">{document.id}</span>}
            {document.score !== null && (
              <span className="score" title="Retriever score">
                {unitScores && (
                  <span className="score-bar" aria-hidden="true">
                    <span style={{ width: `${Math.round(document.score * 100)}%` }} />
                  </span>
                )}
                <span className="mono">score {formatScore(document.score)}</span>
              </span>
            )}
          </div>
          {document.content !== null && <div className="msg-text document-text">{document.content}</div>}
          {document.metadata !== null && document.metadata !== undefined && <JsonTree value={document.metadata} openDepth={0} label="Document metadata" />}
        </li>
      ))}
    </ol>
  );
}
