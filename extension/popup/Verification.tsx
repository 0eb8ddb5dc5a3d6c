/**
 * Verified reads in the popup: how many relayed reads were proven against the chain per chain,
 * which endpoints gave an answer that failed verification (benched, with a way to re-enable
 * them), and which cannot prove anything. Shown only once there is something to say.
 */
import { useEffect, useState } from 'preact/hooks';
import { sendMessage } from '../messages';
import type { VerificationStatus } from '../protocol/verification';
import { chainName } from '../../src/registry/chains';
import { formatInteger } from '../../src/status/format';

const MODE_WORDS: Record<VerificationStatus['mode'], string> = {
  off: 'verification off',
  relayed: 'relayed reads are verified',
  all: 'every read is verified',
};

export function Verification() {
  const [status, setStatus] = useState<VerificationStatus | null>(null);
  useEffect(() => {
    let live = true;
    sendMessage('verificationStatus', undefined).then((s) => live && setStatus(s), () => undefined);
    return () => {
      live = false;
    };
  }, []);
  if (!status) return null;
  const chains = status.chains.filter((c) => c.proven + c.notVerified + c.failed > 0);
  if (chains.length === 0 && status.failed.length === 0 && status.cannotVerify.length === 0) return null;
  const reenable = async (endpointId: string) => setStatus(await sendMessage('reenableEndpoint', { endpointId }));
  return (
    <section aria-labelledby="verification-heading" data-testid="verification">
      <h2 id="verification-heading">Verified reads</h2>
      <p class="muted small">{MODE_WORDS[status.mode]}</p>
      <ul>
        {chains.map((c) => (
          <li key={c.chainId} data-testid={`verification-counts-${c.chainId}`}>
            {chainName(c.chainId)}: {formatInteger(c.proven)} proven, {formatInteger(c.notVerified)} not verified{c.failed ? `, ${formatInteger(c.failed)} failed verification` : ''}
          </li>
        ))}
        {status.failed.map((mark) => (
          <li key={mark.endpointId} data-testid={`verification-failed-${mark.endpointId}`}>
            <span class="dot level-outage" aria-hidden="true" /> {status.labels[mark.endpointId] ?? mark.endpointId}: answer failed verification ({mark.method}, block {mark.block}) — not used
            on {chainName(mark.chainId)} for now{' '}
            <button type="button" onClick={() => void reenable(mark.endpointId)} aria-label={`Re-enable ${status.labels[mark.endpointId] ?? mark.endpointId}`}>
              Re-enable
            </button>
          </li>
        ))}
        {status.cannotVerify.map((c) => (
          <li key={c.endpointId} data-testid={`verification-cannot-${c.endpointId}`}>
            {status.labels[c.endpointId] ?? c.endpointId}: can't verify (no eth_getProof), not preferred
          </li>
        ))}
      </ul>
    </section>
  );
}
