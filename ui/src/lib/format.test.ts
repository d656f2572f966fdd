import { describe, expect, it } from 'vitest';
import { formatDuration, formatTimer, secondsSince, secondsUntil } from './format';

describe('formatTimer', () => {
  it('shows minutes and seconds below an hour', () => {
    expect(formatTimer(65, 'en')).toBe('1:05');
    expect(formatTimer(0, 'en')).toBe('0:00');
  });

  it('adds hours from one hour on', () => {
    expect(formatTimer(3725, 'en')).toBe('1:02:05');
  });
});

describe('formatDuration', () => {
  it('words durations in the locale', () => {
    expect(formatDuration(4, 'en')).toBe('4 sec');
    expect(formatDuration(125, 'en')).toBe('2 min 5 sec');
    expect(formatDuration(120, 'en')).toBe('2 min');
    expect(formatDuration(3_900, 'en')).toBe('1 hr 5 min');
    expect(formatDuration(4, 'de')).toBe('4 Sek.');
  });
});

describe('seconds between times', () => {
  it('never goes negative when the clock is behind', () => {
    expect(secondsSince(10_000, 9_000)).toBe(0);
    expect(secondsUntil(9_000, 10_000)).toBe(0);
  });

  it('counts whole seconds', () => {
    expect(secondsSince(1_000, 5_999)).toBe(4);
    expect(secondsUntil(5_001, 1_000)).toBe(5);
  });
});
