import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import { setLocale } from '$lib/i18n.svelte';
import { connection, NOW } from '../../test/fixtures';
import ConnectionBanner from './ConnectionBanner.svelte';

describe('ConnectionBanner', () => {
  it('is absent while connected', () => {
    render(ConnectionBanner, { connection: connection({ status: 'connected' }) });
    expect(screen.queryByTestId('connection-banner')).not.toBeInTheDocument();
  });

  it('is absent when simply signed out', () => {
    render(ConnectionBanner, { connection: connection({ status: 'signedOut' }) });
    expect(screen.queryByTestId('connection-banner')).not.toBeInTheDocument();
  });

  it('says which node it is reconnecting to and for how long', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(NOW);
    render(ConnectionBanner, {
      connection: connection({
        status: 'reconnecting',
        node: 'fin-b',
        since: NOW - 4_000,
        attempt: 2,
        reasonCode: 'ping_timeout',
      }),
    });

    expect(screen.getByTestId('connection-headline')).toHaveTextContent('Reconnecting to fin-b…');
    expect(screen.getByTestId('connection-elapsed')).toHaveTextContent('4 sec');
    expect(screen.getByText('Attempt 2')).toBeInTheDocument();
    expect(screen.getByTestId('connection-detail')).toHaveTextContent('The server stopped answering.');

    vi.advanceTimersByTime(61_000);
    flushSync();
    expect(screen.getByTestId('connection-elapsed')).toHaveTextContent('1 min 5 sec');
  });

  it('says plainly that calls cannot be taken when out of service', () => {
    render(ConnectionBanner, {
      connection: connection({ status: 'outOfService', detail: 'Finesse is IN_SERVICE on the other node' }),
    });
    expect(screen.getByTestId('connection-headline')).toHaveTextContent('Out of service — calls cannot be taken');
    expect(screen.getByTestId('connection-detail')).toHaveTextContent('Finesse is IN_SERVICE on the other node');
    expect(screen.getByTestId('connection-banner')).toHaveClass('severe');
  });

  it('offers to sign in again when signed in elsewhere', async () => {
    const onSignInAgain = vi.fn();
    const user = userEvent.setup();
    render(ConnectionBanner, { connection: connection({ status: 'signedInElsewhere' }), onSignInAgain });

    expect(screen.getByTestId('connection-headline')).toHaveTextContent('Signed in elsewhere');
    await user.click(screen.getByRole('button', { name: 'Sign in again' }));
    expect(onSignInAgain).toHaveBeenCalledTimes(1);
  });

  it('does not offer to sign in again while merely reconnecting', () => {
    render(ConnectionBanner, { connection: connection({ status: 'reconnecting' }), onSignInAgain: vi.fn() });
    expect(screen.queryByRole('button', { name: 'Sign in again' })).not.toBeInTheDocument();
  });

  it('words a connecting node', () => {
    render(ConnectionBanner, { connection: connection({ status: 'connecting', node: 'fin-a' }) });
    expect(screen.getByTestId('connection-headline')).toHaveTextContent('Connecting to fin-a…');
  });

  it('speaks German when the language is German', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(NOW);
    setLocale('de');
    render(ConnectionBanner, {
      connection: connection({ status: 'reconnecting', node: 'fin-b', since: NOW - 4_000 }),
    });
    expect(screen.getByTestId('connection-headline')).toHaveTextContent(
      'Verbindung zu fin-b wird wiederhergestellt…',
    );
    expect(screen.getByTestId('connection-elapsed')).toHaveTextContent('4 Sek.');
  });
});
