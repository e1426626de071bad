import { type ReactNode, useEffect, useId, useRef } from 'react';

/**
 * A modal dialog over the page (the browser's own <dialog>: focus stays inside, Escape closes it).
 * While `busy` (a request is on its way) it cannot be dismissed: what it started must be seen to end.
 */
export function Dialog({ title, tone = 'plain', busy = false, testId, onClose, children }: { title: string; tone?: 'plain' | 'live' | 'dry'; busy?: boolean; testId?: string; onClose(): void; children: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={`dialog dialog-${tone}`}
      aria-labelledby={titleId}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onClose();
      }}
    >
      <header className="dialog-header">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="btn btn-small btn-quiet" onClick={onClose} disabled={busy} aria-label="Close this dialog">
          ✕
        </button>
      </header>
      <div className="dialog-body">{children}</div>
    </dialog>
  );
}
