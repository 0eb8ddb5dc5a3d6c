/** The options page's choice of which reads are proven against the chain (the config's `verification`). */
import type { UserConfig } from '../../src/config/schema';
import { VERIFICATION_MODES, VERIFY_POLICY, type VerificationMode } from '../../src/policy/verify';

const WORDS: Record<VerificationMode, string> = {
  off: 'Off: serve fallback answers as they come',
  relayed: 'Relayed reads: prove what fallbacks answer for pages (default)',
  all: 'All reads Lifeline serves',
};

export function VerificationSetting({ config, onSave }: { config: UserConfig | null; onSave: (mode: VerificationMode) => void }) {
  const current = config?.verification ?? VERIFY_POLICY.defaultMode;
  return (
    <label>
      Verify answers against the chain's proofs{' '}
      <select data-testid="verification-mode" value={current} onChange={(e) => onSave(e.currentTarget.value as VerificationMode)}>
        {VERIFICATION_MODES.map((mode) => (
          <option key={mode} value={mode}>
            {WORDS[mode]}
          </option>
        ))}
      </select>
    </label>
  );
}
