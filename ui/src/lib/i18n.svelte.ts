/**
 * Strings live in `src/locales/*.json` as flat dotted keys; English is complete by definition
 * and every other locale falls back to it key by key.
 */
import en from '../locales/en.json';
import de from '../locales/de.json';

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;
export type MessageParams = Record<string, string | number>;

/** Languages the UI ships, with their own names for the language menu. */
export const LOCALES = {
  en: { name: 'English', messages: en as Messages },
  de: { name: 'Deutsch', messages: de as Partial<Messages> },
} as const satisfies Record<string, { name: string; messages: Partial<Messages> }>;

export type LocaleTag = keyof typeof LOCALES;

let current = $state<LocaleTag>(resolveLocale(null));

/** Picks the shipped locale for a BCP-47 tag; `null` follows the OS (the webview's languages). */
export function resolveLocale(preferred: string | null | undefined): LocaleTag {
  const candidates = preferred
    ? [preferred]
    : typeof navigator === 'undefined'
      ? []
      : [...(navigator.languages ?? []), navigator.language];
  for (const tag of candidates) {
    if (!tag) continue;
    const base = tag.toLowerCase().split('-')[0];
    if (base in LOCALES) return base as LocaleTag;
  }
  return 'en';
}

/** Switches the UI language; `null` follows the OS. */
export function setLocale(preferred: string | null | undefined): void {
  current = resolveLocale(preferred);
  if (typeof document !== 'undefined') document.documentElement.lang = current;
}

/** The language strings are drawn from now (reactive: templates re-render when it changes). */
export function locale(): LocaleTag {
  return current;
}

/** Whether a key built at run time (e.g. from a server code) has a message. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

/** The message for `key` in the current language, `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params?: MessageParams): string {
  const template = LOCALES[current].messages[key] ?? (en as Messages)[key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
