/** Theme and language come from the saved settings; until they load, the OS decides both. */
import * as backend from './backend';
import { setLocale } from './i18n.svelte';
import { applyTheme } from './theme';

/** Reads the saved theme and language and applies them; on failure the current look stays. */
export async function loadAppearance(): Promise<void> {
  try {
    const settings = await backend.getSettings();
    applyTheme(settings.theme);
    setLocale(settings.language);
  } catch {
    // Keep what is shown (the OS's choice until settings were read once).
  }
}

/** Starts a window following the OS, then switches to the saved settings once read. */
export function startAppearance(): Promise<void> {
  applyTheme('system');
  setLocale(null);
  return loadAppearance();
}
