/**
 * Verified reads in the worker: a failed answer becomes a timeline event, and the popup may read
 * what verification knows and re-enable a benched endpoint.
 */
import type { FailedMark } from '../../src/verify/index';
import type { VerificationStatus } from '../protocol/verification';
import type { EngineSet } from '../../src/engine/engine-set';
import { getEngine, persistEngineSoon } from './engine-host';
import { onOwnPageMessage } from './lib/own-pages';
import { recordEvents } from './timeline';

/** The name the popup gives the endpoint everywhere else (its label, else its provider). */
const endpointName = (engine: EngineSet, endpointId: string): string => engine.endpointView(endpointId)?.label ?? endpointId;

export function recordVerificationFailure(mark: FailedMark): void {
  // The bench must outlive the worker, which may stop before the relay that caused it saves.
  persistEngineSoon();
  void getEngine().then((engine) => {
    void recordEvents({
      at: mark.at,
      kind: 'answer-failed-verification',
      chainId: mark.chainId,
      from: endpointName(engine, mark.endpointId),
      reason: `${mark.method} at block ${mark.block}: ${mark.reason}`,
    });
  });
}

async function status(): Promise<VerificationStatus> {
  const engine = await getEngine();
  const view = engine.verificationView();
  const labels: Record<string, string> = {};
  for (const id of [...view.failed.map((m) => m.endpointId), ...view.cannotVerify.map((c) => c.endpointId)]) labels[id] = endpointName(engine, id);
  return { ...view, labels };
}

export function registerVerification(): void {
  onOwnPageMessage('verificationStatus', () => status());
  onOwnPageMessage('reenableEndpoint', async ({ data }) => {
    if (typeof data?.endpointId !== 'string') throw new Error('reenableEndpoint needs an endpointId');
    (await getEngine()).reenableEndpoint(data.endpointId);
    persistEngineSoon();
    return status();
  });
}
