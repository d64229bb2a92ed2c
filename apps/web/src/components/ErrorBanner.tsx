// The one way pages report a failed API call: unreachable server versus an error answer.

import { ApiRequestError } from '../api/api-client.js';

export function ErrorBanner({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const unreachable = error instanceof ApiRequestError && error.kind === 'unreachable';
  const message = error instanceof Error ? error.message : String(error);
  return (
    <div className="banner error" role="alert">
      <strong>{unreachable ? 'Cannot reach the Cairn server.' : 'The query failed.'}</strong>
      <span>{unreachable ? 'Is `cairn serve` running? Start it with `npm start` and retry.' : message}</span>
      {onRetry && (
        <button type="button" className="btn small" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}
