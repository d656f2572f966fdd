import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as backend from '$lib/backend';
import type { IncomingCallView } from '$lib/generated';
import { settings } from './test/fixtures';
import PopUpWindow from './PopUpWindow.svelte';

vi.mock('$lib/backend', () => import('./test/backendMock'));

const incoming: IncomingCallView = {
  callId: '16777217',
  caller: '+49 30 1234567',
  dialedNumber: '8000',
  items: [
    { label: 'Account', value: 'AC-99812' },
    { label: 'Language', value: 'de' },
  ],
  canAnswer: true,
};

let show: (call: IncomingCallView | null) => void;

beforeEach(() => {
  vi.mocked(backend.onPopUp).mockImplementation((handler) => {
    show = handler;
    return Promise.resolve(() => {});
  });
});

function renderWith(call: IncomingCallView | null) {
  render(PopUpWindow);
  flushSync(() => show(call));
}

describe('PopUpWindow', () => {
  it('shows the caller large with the key call data', () => {
    renderWith(incoming);

    expect(screen.getByRole('heading', { name: '+49 30 1234567' })).toBeInTheDocument();
    expect(screen.getAllByTestId('popup-item').map((item) => item.textContent)).toEqual([
      'Account AC-99812',
      'Language de',
    ]);
    expect(screen.getByTestId('popup-answer')).toHaveFocus();
  });

  it('answers on Enter', async () => {
    renderWith(incoming);
    await fireEvent.keyDown(window, { key: 'Enter' });

    expect(backend.callAction).toHaveBeenCalledTimes(1);
    expect(backend.callAction).toHaveBeenCalledWith({
      callId: '16777217',
      action: 'answer',
      toAddress: null,
      dtmf: null,
      participant: null,
    });
  });

  it('dismisses on Escape', async () => {
    renderWith(incoming);
    await fireEvent.keyDown(window, { key: 'Escape' });

    expect(backend.dismissPopUp).toHaveBeenCalledWith('16777217');
    expect(backend.callAction).not.toHaveBeenCalled();
  });

  it('answers with the button too', async () => {
    renderWith(incoming);
    await fireEvent.click(screen.getByRole('button', { name: 'Answer' }));
    expect(backend.callAction).toHaveBeenCalledWith(expect.objectContaining({ action: 'answer' }));
  });

  it('offers no Answer, and Enter does nothing, when the call cannot be answered here', async () => {
    renderWith({ ...incoming, canAnswer: false });
    expect(screen.queryByTestId('popup-answer')).not.toBeInTheDocument();
    await fireEvent.keyDown(window, { key: 'Enter' });
    expect(backend.callAction).not.toHaveBeenCalled();
  });

  it('empties when the shell closes it', () => {
    renderWith(incoming);
    flushSync(() => show(null));
    expect(screen.queryByTestId('popup')).not.toBeInTheDocument();
  });

  it('says why answering failed', async () => {
    vi.mocked(backend.callAction).mockRejectedValueOnce({ code: 'invalid_state', message: 'Call is gone' });
    renderWith(incoming);
    await fireEvent.keyDown(window, { key: 'Enter' });
    await waitFor(() => expect(screen.getByTestId('popup-error')).toHaveTextContent('Call is gone'));
  });
});

describe('PopUpWindow appearance', () => {
  it('takes up a language changed since the window opened', async () => {
    vi.mocked(backend.getSettings).mockResolvedValue(settings({ language: 'en' }));
    renderWith(null);
    await waitFor(() => expect(backend.getSettings).toHaveBeenCalledTimes(1));

    vi.mocked(backend.getSettings).mockResolvedValue(settings({ language: 'de' }));
    flushSync(() => show(incoming));
    expect(await screen.findByRole('button', { name: 'Annehmen' })).toBeInTheDocument();
  });
});
