import { describe, expect, it } from 'vitest';
import { appendEvents, type TimelineEvent } from './timeline';
import { TIMELINE_LIMITS } from '../policy/index.ts';

const event = (at: number, kind: TimelineEvent['kind'] = 'endpoint-down'): TimelineEvent => ({ at, kind, chainId: 1 });

describe('appendEvents', () => {
  it('keeps newest first, across old and new events', () => {
    const list = appendEvents([event(30), event(10)], [event(20), event(40)], 50);
    expect(list.map((e) => e.at)).toEqual([40, 30, 20, 10]);
  });
  it('drops events older than 7 days', () => {
    const now = TIMELINE_LIMITS.maxAgeMs + 1_000;
    expect(appendEvents([event(999), event(1_000)], [], now).map((e) => e.at)).toEqual([1_000]);
  });
  it('keeps at most the newest maxEvents', () => {
    const many = Array.from({ length: TIMELINE_LIMITS.maxEvents + 10 }, (_, i) => event(i));
    const list = appendEvents([], many, many.length);
    expect(list).toHaveLength(TIMELINE_LIMITS.maxEvents);
    expect(list[0]!.at).toBe(many.length - 1);
  });
});
