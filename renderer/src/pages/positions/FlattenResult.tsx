import type { FlattenAnswer } from '../../../../shared/flatten-api.js';
import { summarizeFlatten } from '../../../../shared/flatten-summary.js';
import { Notice } from '../../components/Notice.js';

/** What a flatten did: its headline, then each Close with its status, what was cancelled, and each failure in words. */
export function FlattenResult({ answer, onDismiss }: { answer: FlattenAnswer; onDismiss(): void }) {
  const summary = summarizeFlatten(answer);
  return (
    <Notice tone={summary.tone} testId="flatten-result">
      <div className="flatten-result-head">
        <strong data-testid="flatten-headline">{summary.headline}</strong>
        <button type="button" className="btn btn-small btn-quiet" onClick={onDismiss} aria-label="Dismiss">
          ✕
        </button>
      </div>
      {summary.lines.length > 0 ? (
        <ul className="flatten-list" data-testid="flatten-lines">
          {summary.lines.map((line, index) => (
            <li key={index}>{line}</li>
          ))}
        </ul>
      ) : null}
    </Notice>
  );
}
