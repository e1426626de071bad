import { useState } from 'react';
import { messageOf } from '../api/client.js';
import { downloadFile } from '../api/download.js';

/** "Download CSV": the list as filtered on screen, every matching row, saved as a file. */
export function CsvDownloadButton({ path, name, testId }: { path: string; name: string; testId: string }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const download = () => {
    setBusy(true);
    setProblem(null);
    downloadFile(path, `${name}.csv`).then(
      () => setBusy(false),
      (failure: unknown) => {
        setBusy(false);
        setProblem(messageOf(failure));
      },
    );
  };
  return (
    <>
      <button type="button" className="btn btn-small btn-quiet" data-testid={testId} onClick={download} disabled={busy} title="Every row that matches the filters, with the columns of the export (RFC 4180)">
        {busy ? 'Preparing…' : 'Download CSV'}
      </button>
      {problem ? (
        <span className="text-bad small" role="alert">
          {problem}
        </span>
      ) : null}
    </>
  );
}
