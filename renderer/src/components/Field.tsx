import type { ReactNode } from 'react';

/** A labelled form control with its hint and its error. */
export function Field({ label, hint, error, children, wide = false }: { label: string; hint?: ReactNode; error?: string | undefined; children: ReactNode; wide?: boolean }) {
  return (
    <label className={`field${wide ? ' field-wide' : ''}${error ? ' field-invalid' : ''}`}>
      <span className="field-label">{label}</span>
      {children}
      {error ? <span className="field-error">{error}</span> : hint ? <span className="field-hint">{hint}</span> : null}
    </label>
  );
}
