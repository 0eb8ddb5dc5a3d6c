import type { ServiceStatus } from '../../src/status/services';
import { formatAge, formatCount } from '../../src/status/format';
import { SERVICE_LEVEL } from '../ui/levels';
import { Collapsible } from './Collapsible';

export function Services({ services, now }: { services: ServiceStatus[]; now: number }) {
  const bad = services.filter((s) => s.state === 'down' || s.state === 'maintenance' || s.state === 'degraded').length;
  return (
    <Collapsible id="services" title="Services" open={bad > 0} badge={bad > 0 ? `${formatCount(bad, 'service')} with problems` : 'wallet and exchange APIs'} {...(bad > 0 ? { level: 'degraded' } : {})}>
      <ul class="plain">
        {services.map((s) => (
          <li key={s.id} data-testid={`service-${s.id}`} data-state={s.state}>
            <div class="row">
              <span class={`dot level-${SERVICE_LEVEL[s.state]}`} aria-hidden="true" />
              <strong>{s.name}</strong> <span class="muted small">{s.state}</span>
            </div>
            <div class="small">{s.detail}{s.checkedAt ? ` · checked ${formatAge(s.checkedAt, now)}` : ''}</div>
            <div class="small muted">Used by {s.usedBy}</div>
            {s.id === 'rabby' && (s.state === 'down' || s.state === 'degraded') ? (
              <p class="small" data-testid="rabby-hint">
                Without a custom RPC, Rabby reads balances and the chain state it needs to send transactions through this API. Until it is back, set a custom
                RPC in Rabby (More → Settings → Custom RPC) for each chain you use: copy a healthy one under Chains above.
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </Collapsible>
  );
}
