/**
 * Lifeline's declarativeNetRequest dynamic rules: one serialised, atomic reconciliation from the
 * rules in force to the desired ones, touching only Lifeline's id range (PAGE_TRAFFIC.ruleIdBase…).
 * Dynamic rules outlive the service worker and the browser session, so every start reconciles:
 * no duplicates, no leftovers. The diff itself is pure (src/page-traffic/rules.ts).
 */
import { diffRules, type RedirectRule, type RuleDiff } from '../../src/page-traffic';
import { PAGE_TRAFFIC, SHELL_POLICY } from '../../src/policy/index';
import { serialQueue } from './lib/serial-queue';
import { dynamicRules, ext, type Browser } from '../platform/browser';

const RANGE = { base: PAGE_TRAFFIC.ruleIdBase, size: PAGE_TRAFFIC.maxRules };
const reconciliations = serialQueue();

export interface ReconcileResult {
  diff: RuleDiff;
  ok: boolean;
  error?: string;
}

export function reconcileRules(desired: readonly RedirectRule[]): Promise<ReconcileResult> {
  return reconciliations.run(async (): Promise<ReconcileResult> => {
    const existing = await dynamicRules();
    const diff = diffRules(existing, desired, RANGE);
    if (diff.removeRuleIds.length === 0 && diff.addRules.length === 0) return { diff, ok: true };
    try {
      await ext.declarativeNetRequest.updateDynamicRules({
        removeRuleIds: diff.removeRuleIds,
        addRules: diff.addRules as unknown as Browser.DeclarativeNetRequest.Rule[],
      });
      return { diff, ok: true };
    } catch (error) {
      // Chromium refused the update (one bad rule fails it all): start over from none of ours and
      // add the rules one by one, so one refused rule costs only its own redirect.
      const message = error instanceof Error ? error.message : String(error);
      const ours = existing.filter((r) => r.id >= RANGE.base && r.id < RANGE.base + RANGE.size).map((r) => r.id);
      await ext.declarativeNetRequest.updateDynamicRules({ removeRuleIds: ours }).catch(() => undefined);
      for (const rule of desired) {
        await ext.declarativeNetRequest.updateDynamicRules({ addRules: [rule as unknown as Browser.DeclarativeNetRequest.Rule] }).catch(() => undefined);
      }
      return { diff, ok: false, error: message.slice(0, SHELL_POLICY.maxErrorTextChars) };
    }
  });
}
