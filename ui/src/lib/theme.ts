/**
 * The theme is resolved to `light` or `dark` here and written to `<html data-theme>`, so the
 * stylesheet has exactly one block per theme. "system" follows `prefers-color-scheme` live.
 */
import type { Theme } from './generated';

const DARK_QUERY = '(prefers-color-scheme: dark)';

let chosen: Theme = 'system';
let watching: MediaQueryList | null = null;

function systemPrefersDark(): boolean {
  return typeof matchMedia === 'function' && matchMedia(DARK_QUERY).matches;
}

function apply(): void {
  const dark = chosen === 'dark' || (chosen === 'system' && systemPrefersDark());
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

/** Applies the theme setting now and keeps following the OS while it is "system". */
export function applyTheme(theme: Theme): void {
  chosen = theme;
  if (!watching && typeof matchMedia === 'function') {
    watching = matchMedia(DARK_QUERY);
    watching.addEventListener('change', apply);
  }
  apply();
}
