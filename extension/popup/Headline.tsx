import type { PopupStatus } from '../protocol/popup';

/** The one line most users read, and under it the other problems, worst first: both come from
 *  the same derivation as the badge (src/status/worst-truth.ts), so they cannot disagree. */
export function Headline({ status }: { status: PopupStatus | null }) {
  const more = status?.findings.slice(1) ?? [];
  return (
    <>
      <p role="status" aria-live="polite" data-testid="status-line" data-level={status?.level ?? 'unknown'} class={`status-line level-${status?.level ?? 'unknown'}`}>
        {status ? status.line : 'Loading health…'}
      </p>
      {more.length > 0 ? (
        <ul class="plain findings small" aria-label="Also" data-testid="findings">
          {more.map((f) => (
            <li key={f.kind + f.subjects.join()} data-kind={f.kind} data-level={f.level}>
              <span class={`dot level-${f.level}`} aria-hidden="true" /> {f.text}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
