/**
 * Timeline storage in IndexedDB (idb-keyval), so a week of events survives browser restarts
 * without crowding chrome.storage. Writes are serialised so concurrent records never lose events.
 */
import { get, set } from 'idb-keyval';
import { appendEvents, type TimelineEvent } from '../../src/status/timeline';
import { serialQueue } from './lib/serial-queue';

const KEY = 'lifeline:timeline';
const writes = serialQueue();
/** The worker is the timeline's only writer: after one read, memory is the truth and every
 *  popup refresh need not read (up to 2,000 events) from IndexedDB again. */
let cache: TimelineEvent[] | null = null;

async function load(): Promise<TimelineEvent[]> {
  cache ??= ((await get<TimelineEvent[]>(KEY)) ?? []) as TimelineEvent[];
  return cache;
}

export function recordEvents(...events: TimelineEvent[]): Promise<void> {
  return writes
    .run(async () => {
      const next = appendEvents(await load(), events, Date.now());
      await set(KEY, next);
      cache = next;
    })
    .catch(() => undefined);
}

export async function readTimeline(limit = 200): Promise<TimelineEvent[]> {
  try {
    return (await load()).slice(0, limit);
  } catch {
    return [];
  }
}
