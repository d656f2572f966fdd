import '@testing-library/jest-dom/vitest';
import { afterEach, vi } from 'vitest';
import { setLocale } from '$lib/i18n.svelte';

afterEach(() => {
  // Back to each mock's own implementation, so no test sees another's answers.
  vi.resetAllMocks();
  vi.useRealTimers();
  setLocale('en');
});
