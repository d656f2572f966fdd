import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { flushSync } from 'svelte';
import { describe, expect, it, vi } from 'vitest';
import * as backend from '$lib/backend';
import { NOW, wrapUp } from '../../test/fixtures';
import WrapUp from './WrapUp.svelte';

vi.mock('$lib/backend', () => import('../../test/backendMock'));

const REASONS = ['Sale', 'Complaint', 'Callback requested'];

describe('WrapUp', () => {
  it('counts down to the deadline', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(NOW);
    render(WrapUp, { wrapUp: wrapUp({ deadline: NOW + 90_000 }), reasons: REASONS, startedAt: NOW - 30_000 });

    const ring = screen.getByTestId('wrapup-countdown');
    expect(ring).toHaveTextContent('1:30');
    expect(ring).toHaveAccessibleName('Wrap-up ends in 1 min 30 sec');

    vi.advanceTimersByTime(31_000);
    flushSync();
    expect(ring).toHaveTextContent('0:59');
    expect(ring).toHaveAttribute('data-seconds-left', '59');
  });

  it('empties the ring in proportion to the time gone', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(NOW);
    render(WrapUp, { wrapUp: wrapUp({ deadline: NOW + 30_000 }), reasons: REASONS, startedAt: NOW - 90_000 });

    const arc = screen.getByTestId('wrapup-countdown').querySelector('circle.left');
    const full = Number(arc?.getAttribute('stroke-dasharray'));
    // A quarter of the two minutes is left, so three quarters of the ring are gone.
    expect(Number(arc?.getAttribute('stroke-dashoffset'))).toBeCloseTo(full * 0.75, 3);
  });

  it('stops at zero', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    vi.setSystemTime(NOW + 120_000);
    render(WrapUp, { wrapUp: wrapUp({ deadline: NOW + 90_000 }), reasons: REASONS });
    expect(screen.getByTestId('wrapup-countdown')).toHaveTextContent('0:00');
  });

  it('has no ring when wrap-up has no time limit', () => {
    render(WrapUp, { wrapUp: wrapUp({ deadline: null }), reasons: REASONS });
    expect(screen.queryByTestId('wrapup-countdown')).not.toBeInTheDocument();
  });

  it('searches the reasons and sends the chosen one', async () => {
    const user = userEvent.setup();
    render(WrapUp, { wrapUp: wrapUp(), reasons: REASONS });

    await user.type(screen.getByTestId('wrapup-reason-search'), 'compl');
    expect(screen.getAllByTestId('wrapup-reason-option').map((o) => o.dataset.value)).toEqual(['Complaint']);
    await user.click(screen.getByRole('option', { name: 'Complaint' }));

    expect(backend.setWrapUp).toHaveBeenCalledWith({ reason: 'Complaint', then: null });
  });

  it('marks the reason in force', () => {
    render(WrapUp, { wrapUp: wrapUp({ reason: 'Sale' }), reasons: REASONS });
    expect(screen.getByRole('option', { name: /Sale/ })).toHaveAttribute('aria-selected', 'true');
    expect(screen.getByTestId('wrapup-reason-current')).toHaveTextContent('Reason: Sale');
  });

  it('asks for a reason when one is required', () => {
    render(WrapUp, { wrapUp: wrapUp({ reasonRequired: true }), reasons: REASONS });
    expect(screen.getByTestId('wrapup-reason-current')).toHaveTextContent('Choose a wrap-up reason');
  });

  it('switches what follows wrap-up', async () => {
    const user = userEvent.setup();
    render(WrapUp, { wrapUp: wrapUp({ then: 'ready' }), reasons: REASONS });

    expect(screen.getByTestId('wrapup-then-ready')).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByTestId('wrapup-then-not-ready')).toHaveAttribute('aria-pressed', 'false');
    await user.click(screen.getByTestId('wrapup-then-not-ready'));

    expect(backend.setWrapUp).toHaveBeenCalledWith({ reason: null, then: 'notReady' });
  });

  it('does not resend the choice already in force', async () => {
    const user = userEvent.setup();
    render(WrapUp, { wrapUp: wrapUp({ then: 'ready' }), reasons: REASONS });
    await user.click(screen.getByTestId('wrapup-then-ready'));
    expect(backend.setWrapUp).not.toHaveBeenCalled();
  });
});
