import type { ReactNode } from 'react';

interface FieldProps {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  children: ReactNode;
  wide?: boolean;
  /**
   * A group of controls (radio buttons): a fieldset whose legend names it. A label around a group
   * would hand a click on its caption to the group's first control, changing the value, and screen
   * readers would read the whole group as one control's name.
   */
  group?: boolean;
}

/** A labelled form control with its hint and its error. */
export function Field({ label, hint, error, children, wide = false, group = false }: FieldProps) {
  const className = `field${wide ? ' field-wide' : ''}${error ? ' field-invalid' : ''}`;
  const note = error ? <span className="field-error">{error}</span> : hint ? <span className="field-hint">{hint}</span> : null;
  if (group) {
    return (
      <fieldset className={className}>
        <legend className="field-label">{label}</legend>
        {children}
        {note}
      </fieldset>
    );
  }
  return (
    <label className={className}>
      <span className="field-label">{label}</span>
      {children}
      {note}
    </label>
  );
}
