/** Locale-aware formatting of timers and durations. */

/** Whole seconds from `since` to `now`, never negative (clock drift is corrected by the core). */
export function secondsSince(since: number | null | undefined, now: number): number {
  if (since == null) return 0;
  return Math.max(0, Math.floor((now - since) / 1000));
}

/** Whole seconds from `now` until `until`, never negative. */
export function secondsUntil(until: number, now: number): number {
  return Math.max(0, Math.ceil((until - now) / 1000));
}

/** A running timer: `m:ss`, or `h:mm:ss` from one hour, with the locale's digits. */
export function formatTimer(totalSeconds: number, locale: string): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const plain = new Intl.NumberFormat(locale, { useGrouping: false });
  const two = new Intl.NumberFormat(locale, { minimumIntegerDigits: 2, useGrouping: false });
  return h > 0
    ? `${plain.format(h)}:${two.format(m)}:${two.format(s)}`
    : `${plain.format(m)}:${two.format(s)}`;
}

/** A short spoken-style duration: "4 sec", "2 min, 5 sec", "1 hr, 3 min" in the locale's words. */
export function formatDuration(totalSeconds: number, locale: string): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const unit = (value: number, name: 'hour' | 'minute' | 'second') =>
    new Intl.NumberFormat(locale, { style: 'unit', unit: name, unitDisplay: 'short' }).format(value);
  const list = new Intl.ListFormat(locale, { style: 'narrow', type: 'unit' });
  if (seconds < 60) return unit(seconds, 'second');
  if (seconds < 3600) {
    const parts = [unit(Math.floor(seconds / 60), 'minute')];
    if (seconds % 60) parts.push(unit(seconds % 60, 'second'));
    return list.format(parts);
  }
  const parts = [unit(Math.floor(seconds / 3600), 'hour')];
  const minutes = Math.floor((seconds % 3600) / 60);
  if (minutes) parts.push(unit(minutes, 'minute'));
  return list.format(parts);
}

/** A clock time ("14:05") for alert timestamps. */
export function formatClockTime(at: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(at);
}
