import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import en from '../locales/en.json';
import de from '../locales/de.json';
import { agent, lookups } from '../test/fixtures';
import AgentBar from './components/AgentBar.svelte';
import { isMessageKey, locale, resolveLocale, setLocale, t } from './i18n.svelte';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('locales', () => {
  it('German has every English key and no others', () => {
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
  });

  it('German fills every string', () => {
    const empty = Object.entries(de).filter(([, text]) => !text.trim());
    expect(empty).toEqual([]);
  });

  it('German uses the same placeholders as English', () => {
    const english = en as Record<string, string>;
    const differing = Object.entries(de).filter(([key, text]) => {
      return placeholders(text).join() !== placeholders(english[key]).join();
    });
    expect(differing).toEqual([]);
  });
});

describe('t', () => {
  it('fills placeholders', () => {
    expect(t('agent.pendingAfterCall', { state: 'Ready' })).toBe('Ready after this call');
  });

  it('speaks the chosen language', () => {
    setLocale('de');
    expect(locale()).toBe('de');
    expect(t('call.answer')).toBe('Annehmen');
    expect(document.documentElement.lang).toBe('de');
  });

  it('knows which run-time keys exist', () => {
    expect(isMessageKey('error.wrong_password')).toBe(true);
    expect(isMessageKey('error.no_such_code')).toBe(false);
  });
});

describe('resolveLocale', () => {
  it('takes the language of a regional tag', () => {
    expect(resolveLocale('de-AT')).toBe('de');
  });

  it('falls back to English for a language it does not ship', () => {
    expect(resolveLocale('fr-FR')).toBe('en');
  });
});

describe('German UI', () => {
  it('renders German strings', () => {
    setLocale('de');
    render(AgentBar, { agent: agent({ state: 'notReady' }), lookups: lookups() });

    expect(screen.getByTestId('state-word')).toHaveTextContent('Nicht bereit');
    expect(screen.getByRole('button', { name: /Status ändern/ })).toBeInTheDocument();
    expect(screen.getByTestId('agent-extension')).toHaveTextContent('Nst. 1001');
  });
});
