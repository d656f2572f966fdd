import { createSubscriber } from 'svelte/reactivity';

/** Timers show whole seconds; a 1 s tick keeps them honest without busy redraws. */
const TICK_MS = 1000;

const subscribe = createSubscriber((update) => {
  const timer = setInterval(update, TICK_MS);
  return () => clearInterval(timer);
});

/**
 * The current time in Unix ms. Read inside a template or `$derived`, it re-runs every second
 * while anything on screen depends on it, and the ticking stops when nothing does.
 */
export function now(): number {
  subscribe();
  return Date.now();
}
