/**
 * The worker's start with the full registry, in real Chromium with the built extension: the
 * worker is stopped before each message (what Chrome does to an idle worker), then woken by a
 * message that needs no engine (the timeline: boot cost only, the baseline) or by the popup's
 * status (boot + the engine built from the 60-chain registry and the stored snapshot), same
 * browser, alternating. Storage: what chrome.storage holds after a probe of 10 chains in use.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { evaluateWithTimeout, launchWithExtensions, LIFELINE_DIST } from '../e2e/fixtures/browser';
import { askLifeline } from '../e2e/fixtures/lifeline';
import { SUPPORTED_CHAIN_IDS } from '../src/registry/defaults';
import { percentile, round } from './stats';

const RUNS = Number(process.env.REGISTRY_BENCH_RUNS ?? 12);
const WARMUP = 2;
const BLANK_PAGE = 'bench-registry-blank.html';

export interface WorkerCost {
  runs: number;
  /** Stopped worker → answer to a message that needs no engine. */
  bootOnlyMsP50: number;
  bootOnlyMsP95: number;
  /** Stopped worker → the popup's status (engine from the full registry + snapshot). */
  statusMsP50: number;
  statusMsP95: number;
  sessionStorageBytes: number;
  /** chrome.storage.session bytes per key, largest first. */
  sessionStorageByKey: Record<string, number>;
  localStorageBytes: number;
  chainsInUse: number;
}

async function timed(page: Page, type: string): Promise<number> {
  const started = performance.now();
  await askLifeline(page, type);
  return performance.now() - started;
}

export async function measureWorker(): Promise<WorkerCost> {
  await writeFile(join(LIFELINE_DIST, BLANK_PAGE), '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>blank</title></head><body></body></html>\n');
  const browser = await launchWithExtensions();
  try {
    const worker = browser.worker!;
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/${BLANK_PAGE}`);
    // Ten chains in use, probed once (every endpoint fails fast here: the test browser resolves
    // only loopback), so the snapshot holds health for every endpoint of those chains.
    const inUse = SUPPORTED_CHAIN_IDS.slice(0, 10);
    await evaluateWithTimeout(worker, (ids) => chrome.storage.session.set({ chainsInUse: Object.fromEntries(ids.map((id) => [String(id), Date.now()])) }), 5_000, inUse);
    await askLifeline(page, 'probeNow');
    const bytes = await evaluateWithTimeout(
      worker,
      async () => {
        const keys = Object.keys(await chrome.storage.session.get(null));
        const byKey: Record<string, number> = {};
        for (const key of keys) byKey[key] = await chrome.storage.session.getBytesInUse(key);
        return { session: await chrome.storage.session.getBytesInUse(null), byKey, local: await chrome.storage.local.getBytesInUse(null) };
      },
      5_000,
    );

    const boot: number[] = [];
    const status: number[] = [];
    for (let i = 0; i < RUNS + WARMUP; i++) {
      await browser.stopServiceWorkers();
      const b = await timed(page, 'timelineEvents');
      await browser.stopServiceWorkers();
      const s = await timed(page, 'popupStatus');
      if (i >= WARMUP) {
        boot.push(b);
        status.push(s);
      }
    }
    return {
      runs: RUNS,
      bootOnlyMsP50: round(percentile(boot, 0.5)),
      bootOnlyMsP95: round(percentile(boot, 0.95)),
      statusMsP50: round(percentile(status, 0.5)),
      statusMsP95: round(percentile(status, 0.95)),
      sessionStorageBytes: bytes.session,
      sessionStorageByKey: Object.fromEntries(Object.entries(bytes.byKey).sort((a, b) => b[1] - a[1])),
      localStorageBytes: bytes.local,
      chainsInUse: inUse.length,
    };
  } finally {
    await browser.close();
    await rm(join(LIFELINE_DIST, BLANK_PAGE), { force: true });
  }
}
