import { sanitizeWalletReport, type WalletReport } from '../../src/wallet/health';
import { WALLET_REPORTING } from '../../src/policy/index';

/** Collects sanitised wallet observations from the guard and sends them in batches, so a busy
 *  dApp costs one worker message per second, not one per read. */
export class WalletReportBatcher {
  private queue: WalletReport[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerDue = Infinity;

  constructor(private readonly send: (batch: WalletReport[]) => void) {}

  add(raw: unknown): void {
    const report = sanitizeWalletReport(raw);
    if (!report || this.queue.length >= WALLET_REPORTING.maxBatch) return;
    this.queue.push(report);
    const urgent = report.observation.type !== 'answered';
    this.schedule(urgent ? WALLET_REPORTING.failureFlushMs : WALLET_REPORTING.flushMs);
  }

  private schedule(delayMs: number): void {
    const due = performance.now() + delayMs;
    if (this.timer !== null && this.timerDue <= due) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timerDue = due;
    this.timer = setTimeout(() => this.flush(), delayMs);
  }

  private flush(): void {
    this.timer = null;
    this.timerDue = Infinity;
    const batch = this.queue;
    this.queue = [];
    if (batch.length > 0) this.send(batch);
  }
}
