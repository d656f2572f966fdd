import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import * as backend from '$lib/backend';
import { agent, emptyLookups, lookups, NOW } from '../../test/fixtures';
import AgentBar from './AgentBar.svelte';

vi.mock('$lib/backend', () => import('../../test/backendMock'));

describe('AgentBar', () => {
  it('shows who is signed in and the state as colour, icon and word', () => {
    render(AgentBar, { agent: agent({ state: 'ready' }), lookups: lookups() });

    expect(screen.getByTestId('agent-name')).toHaveTextContent('Anna Schmidt');
    expect(screen.getByTestId('agent-extension')).toHaveTextContent('1001');
    const pill = screen.getByTestId('state-pill');
    expect(pill).toHaveAttribute('data-state', 'ready');
    expect(pill).toHaveClass('tone-ready');
    expect(pill.querySelector('svg')).not.toBeNull();
    expect(screen.getByTestId('state-word')).toHaveTextContent('Ready');
  });

  it.each([
    ['notReady', 'tone-not-ready', 'Not Ready'],
    ['reserved', 'tone-ringing', 'Reserved'],
    ['talking', 'tone-talking', 'Talking'],
    ['hold', 'tone-hold', 'On hold'],
    ['work', 'tone-wrap-up', 'Wrap-up'],
    ['workReady', 'tone-wrap-up', 'Wrap-up'],
    ['loggedOut', 'tone-offline', 'Signed out'],
  ] as const)('draws %s with %s and the word "%s"', (state, tone, word) => {
    render(AgentBar, { agent: agent({ state }), lookups: lookups() });

    expect(screen.getByTestId('state-pill')).toHaveClass(tone);
    expect(screen.getByTestId('state-word')).toHaveTextContent(word);
  });

  it('pulses only while ringing', () => {
    const { rerender } = render(AgentBar, { agent: agent({ state: 'reserved' }), lookups: lookups() });
    expect(screen.getByTestId('state-pill')).toHaveClass('pulsing');
    rerender({ agent: agent({ state: 'talking' }), lookups: lookups() });
    expect(screen.getByTestId('state-pill')).not.toHaveClass('pulsing');
  });

  it('shows the Not Ready reason next to the word', () => {
    render(AgentBar, {
      agent: agent({ state: 'notReady', reason: { id: '2', code: 11, label: 'Lunch', system: false } }),
      lookups: lookups(),
    });
    expect(screen.getByTestId('state-reason')).toHaveTextContent('Lunch');
  });

  it('runs the timer from stateSince', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(NOW);
    render(AgentBar, { agent: agent({ stateSince: NOW - 65_000 }), lookups: lookups() });
    expect(screen.getByTestId('state-timer')).toHaveTextContent('1:05');

    vi.advanceTimersByTime(2_000);
    flushSync();
    expect(screen.getByTestId('state-timer')).toHaveTextContent('1:07');
  });

  it('filters Not Ready reasons as the agent types and sends the chosen one', async () => {
    const user = userEvent.setup();
    render(AgentBar, { agent: agent({ state: 'ready' }), lookups: lookups() });

    await user.click(screen.getByTestId('state-switch'));
    await user.click(screen.getByTestId('state-option-not-ready'));
    const search = screen.getByRole('combobox', { name: 'Not Ready reason' });
    expect(search).toHaveFocus();
    expect(screen.getAllByRole('option')).toHaveLength(3);

    await user.type(search, 'lun');
    const options = screen.getAllByRole('option');
    expect(options.map((o) => o.textContent?.trim())).toEqual(['Lunch']);

    await user.keyboard('{Enter}');
    expect(backend.setState).toHaveBeenCalledWith({ state: 'notReady', reasonId: '2' });
    expect(screen.queryByRole('combobox')).not.toBeInTheDocument();
  });

  it('moves through reasons with the arrow keys', async () => {
    const user = userEvent.setup();
    render(AgentBar, { agent: agent({ state: 'ready' }), lookups: lookups() });
    await user.click(screen.getByTestId('state-switch'));
    await user.click(screen.getByTestId('state-option-not-ready'));

    await user.keyboard('{ArrowDown}{ArrowDown}{Enter}');
    expect(backend.setState).toHaveBeenCalledWith({ state: 'notReady', reasonId: '3' });
  });

  it('goes Ready from Not Ready', async () => {
    const user = userEvent.setup();
    render(AgentBar, { agent: agent({ state: 'notReady' }), lookups: lookups() });
    await user.click(screen.getByTestId('state-switch'));
    await user.click(screen.getByTestId('state-option-ready'));

    expect(backend.setState).toHaveBeenCalledWith({ state: 'ready', reasonId: null });
  });

  it('does not offer Ready to an agent who is Ready', async () => {
    const user = userEvent.setup();
    render(AgentBar, { agent: agent({ state: 'ready' }), lookups: lookups() });
    await user.click(screen.getByTestId('state-switch'));

    expect(screen.queryByTestId('state-option-ready')).not.toBeInTheDocument();
    expect(screen.getByTestId('state-option-not-ready')).toHaveFocus();
  });

  it('offers only the states Finesse allows now (UCCE: no Logout straight from Ready)', async () => {
    const user = userEvent.setup();
    render(AgentBar, { agent: agent({ state: 'ready', allowedStates: ['notReady'] }), lookups: lookups() });
    await user.click(screen.getByTestId('state-switch'));

    expect(screen.getByTestId('state-option-not-ready')).toBeInTheDocument();
    expect(screen.queryByTestId('state-option-logout')).not.toBeInTheDocument();
  });

  it('signs out with a logout reason', async () => {
    const user = userEvent.setup();
    render(AgentBar, { agent: agent({ state: 'notReady' }), lookups: lookups() });
    await user.click(screen.getByTestId('state-switch'));
    await user.click(screen.getByTestId('state-option-logout'));
    await user.type(screen.getByTestId('reason-search'), 'train');
    await user.click(screen.getByRole('option', { name: 'Training' }));

    expect(backend.signOut).toHaveBeenCalledWith('8');
  });

  it('applies Not Ready at once when the server has no reasons', async () => {
    const user = userEvent.setup();
    render(AgentBar, { agent: agent({ state: 'ready' }), lookups: emptyLookups() });
    await user.click(screen.getByTestId('state-switch'));
    await user.click(screen.getByTestId('state-option-not-ready'));

    expect(backend.setState).toHaveBeenCalledWith({ state: 'notReady', reasonId: null });
  });

  it('Escape steps back from the reasons, then closes the menu', async () => {
    const user = userEvent.setup();
    render(AgentBar, { agent: agent({ state: 'ready' }), lookups: lookups() });
    await user.click(screen.getByTestId('state-switch'));
    await user.click(screen.getByTestId('state-option-not-ready'));

    await user.keyboard('{Escape}');
    expect(screen.getByTestId('state-option-not-ready')).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('state-option-not-ready')).not.toBeInTheDocument();
    expect(screen.getByTestId('state-switch')).toHaveFocus();
  });

  it('says what comes after the call', () => {
    render(AgentBar, {
      agent: agent({ state: 'talking', pending: { state: 'notReady', reasonLabel: 'Lunch' } }),
      lookups: lookups(),
    });
    expect(screen.getByTestId('pending-state')).toHaveTextContent('Not Ready (Lunch) after this call');
  });

  it('shows a spinner on the switch while a change is requested', () => {
    render(AgentBar, { agent: agent({ state: 'ready', requested: 'notReady' }), lookups: lookups() });
    const toggle = screen.getByTestId('state-switch');
    expect(toggle).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByRole('status', { name: 'Changing to Not Ready' })).toBeInTheDocument();
  });

  it('shows a refused change in words', async () => {
    vi.mocked(backend.setState).mockRejectedValueOnce({ code: 'invalid_state', message: 'Not allowed now' });
    render(AgentBar, { agent: agent({ state: 'notReady' }), lookups: lookups() });
    await fireEvent.click(screen.getByTestId('state-switch'));
    await fireEvent.click(screen.getByTestId('state-option-ready'));

    await waitFor(() => expect(screen.getByTestId('state-error')).toHaveTextContent('Not allowed now'));
  });
});
