import type { ReactNode } from 'react';

/** A message in the page: an error, a warning, a success, or plain information. */
export function Notice({ tone, children, testId }: { tone: 'error' | 'warning' | 'success' | 'info'; children: ReactNode; testId?: string }) {
  return (
    <div className={`notice notice-${tone}`} role={tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {children}
    </div>
  );
}
