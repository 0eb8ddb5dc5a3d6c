import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAge, formatCount, formatDuration, formatMs, formatShare, formatWithUnit } from './format.ts';
import { DISPLAY_FORMAT } from '../policy/index.ts';

describe('numbers for people', () => {
  it('latencies: whole ms below a second, one decimal below ten seconds, then whole seconds and minutes', () => {
    expect(formatMs(15.800000000017462)).toBe('16 ms');
    expect(formatMs(59.90000000002328)).toBe('60 ms');
    expect(formatMs(999.4)).toBe('999 ms');
    expect(formatMs(999.6)).toBe('1 s');
    expect(formatMs(8_000)).toBe('8 s');
    expect(formatMs(1_234)).toBe('1.2 s');
    expect(formatMs(9_960)).toBe('10 s');
    expect(formatMs(42_000)).toBe('42 s');
    expect(formatMs(125_000)).toBe('2 min');
    expect(formatMs(Number.NaN)).toBe('—');
    expect(formatMs(-1)).toBe('—');
  });

  it('ages: "just now", then the largest short unit', () => {
    const now = 1_000_000_000;
    expect(formatAge(now - 1_000, now)).toBe('just now');
    expect(formatAge(now + 60_000, now)).toBe('just now');
    expect(formatAge(now - 12_000, now)).toBe('12 s ago');
    expect(formatAge(now - 3 * 60_000, now)).toBe('3 min ago');
    expect(formatAge(now - 5 * 3_600_000, now)).toBe('5 h ago');
    expect(formatAge(now - (DISPLAY_FORMAT.hoursBeforeDays + 24) * 3_600_000, now)).toBe('3 d ago');
  });

  it('counts: whole, grouped, with the right noun', () => {
    expect(formatCount(1, 'event')).toBe('1 event');
    expect(formatCount(0, 'event')).toBe('0 events');
    expect(formatCount(1204.4, 'event')).toBe('1,204 events');
    expect(formatCount(2, 'chain', 'chains')).toBe('2 chains');
    expect(formatShare(2, 9)).toBe('2 of 9');
  });

  it('knob values in their unit', () => {
    expect(formatWithUnit(150, 'ms')).toBe('150 ms');
    expect(formatWithUnit(30, 's')).toBe('30 s');
    expect(formatWithUnit(300, 's')).toBe('5 min');
    expect(formatWithUnit(3, 'blocks')).toBe('3 blocks');
    expect(formatWithUnit(50, 'percent')).toBe('50 %');
    expect(formatWithUnit(1.5, 'factor')).toBe('× 1.5');
    expect(formatWithUnit(20, 'count')).toBe('20');
  });

  it('never prints a raw float, a negative age or more than one decimal, whatever the input', () => {
    const number = fc.oneof(fc.double({ noNaN: false }), fc.integer({ min: -1e9, max: 1e12 }));
    fc.assert(fc.property(number, number, (a, b) => {
      for (const text of [formatMs(a), formatDuration(a), formatAge(a, b), formatCount(a, 'x'), formatShare(a, b)]) {
        expect(text).not.toMatch(/\d\.\d{2,}|NaN|Infinity|e[+-]\d|^-|\(-/);
      }
    }));
  });
});
