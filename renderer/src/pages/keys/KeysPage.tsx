import { useState } from 'react';
import { messageOf } from '../../api/client.js';
import { listKeys, listStrategies, revokeKey } from '../../api/endpoints.js';
import { Notice } from '../../components/Notice.js';
import { PageHeader } from '../../components/PageHeader.js';
import { useApi } from '../../engine/use-api.js';
import type { ApiKeyRecord, IssuedApiKey } from '../../state/api-types.js';
import { IssuedKey } from './IssuedKey.js';
import { KeysTable } from './KeysTable.js';
import { NewKeyForm } from './NewKeyForm.js';

/** apisify's own API keys: create (secret shown once), limit, revoke. */
export function KeysPage() {
  const keys = useApi(listKeys, ['keys']);
  const strategies = useApi(listStrategies, ['strategies']);
  const [issued, setIssued] = useState<{ key: IssuedApiKey; label: string } | null>(null);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);

  const revoke = (key: ApiKeyRecord) => {
    setMessage(null);
    revokeKey(key.id).then(
      () => {
        setMessage({ tone: 'success', text: `Revoked “${key.label}” (${key.masked}).` });
        keys.reload();
      },
      (failure: unknown) => setMessage({ tone: 'error', text: messageOf(failure) }),
    );
  };

  return (
    <div className="page">
      <PageHeader title="API keys">
        <span className="muted small">Bots sign with key + secret; TradingView keys are accepted alone</span>
      </PageHeader>
      {issued ? (
        <IssuedKey issued={issued.key} label={issued.label} onDone={() => setIssued(null)} />
      ) : (
        <NewKeyForm
          strategies={strategies.data ?? []}
          onIssued={(key, label) => {
            setIssued({ key, label });
            setMessage(null);
            keys.reload();
          }}
        />
      )}
      {message ? <Notice tone={message.tone}>{message.text}</Notice> : null}
      {keys.error ? <Notice tone="error">{keys.error}</Notice> : null}
      {keys.data ? <KeysTable keys={keys.data} onRevoke={revoke} /> : null}
    </div>
  );
}
