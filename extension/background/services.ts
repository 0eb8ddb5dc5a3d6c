/**
 * The services panel's checks: public status/reachability endpoints of wallet and exchange APIs,
 * checked gently (SERVICES_POLICY.checkIntervalMs) on the probe alarm, honouring Retry-After.
 * Classification is pure (src/status/services.ts).
 */
import { SERVICES_POLICY, SHELL_POLICY } from '../../src/policy/index';
import { HttpTimeoutError, httpRequest } from '../../src/net/http';
import {
  SERVICES, applyResult, classifyObservation, combineResults, dueServices, resolveCheckUrls, restoreServiceStatuses, serviceEvents, walletsWithBackendDown,
  type CheckResult, type Observation, type ServiceCheck, type ServiceStatus,
} from '../../src/status/services';
import { local, session } from './lib/storage';
import { recordEvents } from './timeline';
import { evidenceChanged } from './wallet-evidence';

let running: Promise<ServiceStatus[]> | null = null;

export async function serviceStatuses(): Promise<ServiceStatus[]> {
  return restoreServiceStatuses(await session.get('serviceStatus'));
}

async function observe(check: ServiceCheck): Promise<Observation> {
  try {
    const answer = await httpRequest({
      url: check.url, method: 'GET', timeoutMs: SERVICES_POLICY.timeoutMs, maxBytes: SHELL_POLICY.maxServiceAnswerBytes, overMaxBytes: 'truncate',
    });
    return { kind: 'http', status: answer.status, body: answer.text, retryAfter: answer.headers.get('retry-after') };
  } catch (error) {
    if (error instanceof HttpTimeoutError) return { kind: 'timeout', afterMs: SERVICES_POLICY.timeoutMs };
    return { kind: 'network', message: error instanceof Error ? error.message : String(error) };
  }
}

/** Checks the services that are due (or all, on the user's "Probe now", except those backing off). */
export function checkServices(force = false): Promise<ServiceStatus[]> {
  running ??= (async () => {
    try {
      const [statuses, overrides] = await Promise.all([serviceStatuses(), local.get('serviceUrls')]);
      const now = Date.now();
      const due = new Set(dueServices(statuses, now, force));
      if (due.size === 0) return statuses;
      const updated = await Promise.all(
        statuses.map(async (status) => {
          const def = SERVICES.find((s) => s.id === status.id);
          if (!def || !due.has(status.id)) return status;
          const results: CheckResult[] = [];
          // Sequential within a service: a 429 on the first check must stop the second.
          for (const check of resolveCheckUrls(def, overrides)) {
            const result = classifyObservation(check.kind, await observe(check), Date.now());
            results.push(result);
            if (result.state === 'rate-limited') break;
          }
          return applyResult(status, combineResults(results), Date.now());
        }),
      );
      await session.set('serviceStatus', updated);
      // A wallet's backend going down (or coming back) changes what every tab is told.
      if ([...walletsWithBackendDown(statuses)].join() !== [...walletsWithBackendDown(updated)].join()) evidenceChanged();
      const events = serviceEvents(statuses, updated);
      if (events.length > 0) await recordEvents(...events);
      return updated;
    } finally {
      running = null;
    }
  })();
  return running;
}
