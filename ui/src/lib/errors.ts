/** Command failures arrive as `UiError {code, message}`; the UI words them by code. */
import type { UiError } from './generated';
import { isMessageKey, t } from './i18n.svelte';

/** Turns whatever a rejected command gave into a `UiError` (the shell always sends one). */
export function toUiError(reason: unknown): UiError {
  if (typeof reason === 'object' && reason !== null && 'code' in reason) {
    const { code, message } = reason as { code: unknown; message?: unknown };
    if (typeof code === 'string') {
      return { code, message: typeof message === 'string' ? message : '' };
    }
  }
  if (typeof reason === 'string') return { code: 'unknown', message: reason };
  if (reason instanceof Error) return { code: 'unknown', message: reason.message };
  return { code: 'unknown', message: '' };
}

/** Plain words for an error: the locale's text for its code, else the server's English. */
export function describeError(error: UiError): string {
  const key = `error.${error.code}`;
  if (isMessageKey(key)) return t(key);
  return error.message || t('error.unknown');
}
