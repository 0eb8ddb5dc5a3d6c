/**
 * Timeline storage in IndexedDB (idb-keyval), so a week of events survives browser restarts
 * without crowding chrome.storage. Writes are serialised so concurrent records never lose events.
 */
import { get, set } from 'idb-keyval';
import { appendEvents, type TimelineEvent } from '../../src/timeline';

const KEY = 'lifeline:timeline';
let queue: Promise<unknown> = Promise.resolve();

export function recordEvents(...events: TimelineEvent[]): Promise<void> {
  const write = queue.then(async () => {
    const existing = ((await get<TimelineEvent[]>(KEY)) ?? []) as TimelineEvent[];
    await set(KEY, appendEvents(existing, events, Date.now()));
  });
  queue = write.catch(() => undefined);
  return write.catch(() => undefined);
}

export async function readTimeline(limit = 200): Promise<TimelineEvent[]> {
  try {
    return ((await get<TimelineEvent[]>(KEY)) ?? []).slice(0, limit);
  } catch {
    return [];
  }
}
