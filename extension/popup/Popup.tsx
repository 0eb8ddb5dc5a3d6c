import { useEffect, useState } from 'preact/hooks';
import { sendMessage, type WorkerStatus } from '../messages';

export function Popup() {
  const [status, setStatus] = useState<WorkerStatus | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    sendMessage('ping').then(setStatus, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, []);

  return (
    <main>
      <h1>Lifeline</h1>
      <p role="status" data-testid="worker-status">
        {error ? `Background service unreachable: ${error}` : status ? `Running v${status.version}` : 'Connecting…'}
      </p>
      <button type="button" onClick={() => chrome.runtime.openOptionsPage()}>
        Open options
      </button>
    </main>
  );
}
