import { render, screen, waitFor } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as backend from '$lib/backend';
import type { DeskView } from '$lib/generated';
import { agent, call, connection, desk, lookups, signedOutDesk, wrapUp } from './test/fixtures';
import App from './App.svelte';

vi.mock('$lib/backend', () => import('./test/backendMock'));

let emit: (desk: DeskView) => void;

beforeEach(() => {
  vi.mocked(backend.onDesk).mockImplementation((handler) => {
    emit = handler;
    return Promise.resolve(() => {});
  });
});

describe('App', () => {
  it('shows sign-in while no agent is signed in', async () => {
    vi.mocked(backend.getDesk).mockResolvedValue(signedOutDesk());
    render(App);
    expect(await screen.findByTestId('sign-in')).toBeInTheDocument();
    expect(screen.queryByTestId('agent-bar')).not.toBeInTheDocument();
  });

  it('switches to the desk when the shell reports the agent', async () => {
    vi.mocked(backend.getDesk).mockResolvedValue(signedOutDesk());
    vi.mocked(backend.getLookups).mockResolvedValue(lookups());
    render(App);
    await screen.findByTestId('sign-in');

    flushSync(() => emit(desk({ calls: [call({ state: 'ringing', actions: ['answer'] })] })));
    expect(screen.getByTestId('agent-bar')).toBeInTheDocument();
    expect(screen.getByTestId('call-card')).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Calls (1)' })).toHaveAttribute('aria-selected', 'true');
    await waitFor(() => expect(backend.getLookups).toHaveBeenCalledTimes(1));
  });

  it('keeps a newer event over an older snapshot', async () => {
    let answer!: (view: DeskView) => void;
    vi.mocked(backend.getDesk).mockReturnValue(new Promise((resolve) => (answer = resolve)));
    render(App);

    flushSync(() => emit(desk({ agent: agent({ state: 'talking' }) })));
    answer(signedOutDesk());
    await Promise.resolve();
    await Promise.resolve();
    flushSync();

    expect(screen.getByTestId('state-pill')).toHaveAttribute('data-state', 'talking');
  });

  it('shows the wrap-up panel with the server wrap-up reasons', async () => {
    vi.mocked(backend.getDesk).mockResolvedValue(
      desk({ agent: agent({ state: 'work' }), wrapUp: wrapUp() }),
    );
    vi.mocked(backend.getLookups).mockResolvedValue(lookups());
    render(App);

    expect(await screen.findByTestId('wrapup-panel')).toBeInTheDocument();
    expect(await screen.findByRole('option', { name: 'Callback requested' })).toBeInTheDocument();
  });

  it('offers a dial box only when Not Ready without calls', async () => {
    vi.mocked(backend.getDesk).mockResolvedValue(desk({ agent: agent({ state: 'notReady' }) }));
    render(App);
    expect(await screen.findByTestId('make-call')).toBeInTheDocument();

    flushSync(() => emit(desk({ agent: agent({ state: 'ready' }) })));
    expect(screen.queryByTestId('make-call')).not.toBeInTheDocument();
  });

  it('returns to sign-in when the agent asks to sign in again', async () => {
    vi.mocked(backend.getDesk).mockResolvedValue(
      desk({ connection: connection({ status: 'signedInElsewhere' }) }),
    );
    render(App);
    (await screen.findByRole('button', { name: 'Sign in again' })).click();

    expect(await screen.findByTestId('sign-in')).toBeInTheDocument();
  });

  it('opens Settings from its tab', async () => {
    vi.mocked(backend.getDesk).mockResolvedValue(desk());
    render(App);
    (await screen.findByRole('tab', { name: 'Settings' })).click();
    expect(await screen.findByTestId('settings')).toBeInTheDocument();
  });
});
