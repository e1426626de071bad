import { CopyButton } from './CopyButton.js';

/** Text to copy as it is: a command, a URL, a JSON message. */
export function CodeBlock({ text, testId, copyLabel }: { text: string; testId?: string; copyLabel?: string }) {
  return (
    <div className="code-block">
      <pre data-testid={testId}>{text}</pre>
      <CopyButton text={text} {...(copyLabel ? { label: copyLabel } : {})} {...(testId ? { testId: `${testId}-copy` } : {})} />
    </div>
  );
}
