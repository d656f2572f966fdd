import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import * as backend from '$lib/backend';
import { call } from '../../test/fixtures';
import CallCard from './CallCard.svelte';

vi.mock('$lib/backend', () => import('../../test/backendMock'));

const visibleActions = () =>
  screen.queryAllByTestId(/^call-action-/).map((button) => button.dataset.testid?.replace('call-action-', ''));

describe('CallCard', () => {
  it('shows the caller big, the dialed number and the call type small', () => {
    render(CallCard, { call: call({ otherParty: '+49 30 1234567', dialedNumber: '8000', callType: 'ACD_IN' }) });

    expect(screen.getByRole('heading', { name: '+49 30 1234567' })).toBeInTheDocument();
    expect(screen.getByTestId('call-dialed')).toHaveTextContent('to 8000');
    expect(screen.getByTestId('call-type')).toHaveTextContent('Queue call');
    expect(screen.getByTestId('call-state')).toHaveTextContent('Talking');
  });

  it('offers only Answer on a ringing call', () => {
    render(CallCard, { call: call({ state: 'ringing', actions: ['answer'] }) });

    expect(visibleActions()).toEqual(['answer']);
    expect(screen.queryByTestId('call-more')).not.toBeInTheDocument();
    expect(screen.getByTestId('call-card')).toHaveClass('ringing');
  });

  it('offers Resume, not Hold, on a held call', () => {
    render(CallCard, { call: call({ state: 'held', actions: ['retrieve', 'drop'] }) });

    expect(screen.getByRole('button', { name: 'Resume' })).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Hold' })).not.toBeInTheDocument();
    expect(visibleActions()).toEqual(['retrieve', 'drop']);
    expect(screen.getByTestId('call-state')).toHaveTextContent('On hold');
  });

  it('draws no control Finesse did not offer', () => {
    render(CallCard, { call: call({ actions: [] }) });
    expect(screen.queryAllByRole('button', { name: /Answer|Hold|Resume|End|More/ })).toHaveLength(0);
  });

  it('puts secondary actions in the More menu, only those offered', async () => {
    const user = userEvent.setup();
    render(CallCard, { call: call({ actions: ['hold', 'drop', 'sendDtmf', 'transferSst'] }) });
    expect(visibleActions()).toEqual(['hold', 'drop']);

    await user.click(screen.getByTestId('call-more'));
    expect(visibleActions()).toEqual(['hold', 'drop', 'sendDtmf', 'transferSst']);
    expect(screen.getByRole('button', { name: 'Keypad' })).toHaveFocus();
    expect(screen.queryByRole('button', { name: 'Consult…' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Conference' })).not.toBeInTheDocument();

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('button', { name: 'Keypad' })).not.toBeInTheDocument();
    expect(screen.getByTestId('call-more')).toHaveFocus();
  });

  it('sends the action with the call id', async () => {
    const user = userEvent.setup();
    render(CallCard, { call: call({ id: '16777300', actions: ['hold', 'drop'] }) });
    await user.click(screen.getByRole('button', { name: 'Hold' }));

    expect(backend.callAction).toHaveBeenCalledWith({
      callId: '16777300',
      action: 'hold',
      toAddress: null,
      dtmf: null,
      participant: null,
    });
  });

  it('shows a spinner on the button whose action is pending', () => {
    render(CallCard, { call: call({ actions: ['hold', 'drop'], pendingAction: 'hold' }) });

    const hold = screen.getByTestId('call-action-hold');
    expect(hold).toHaveAttribute('aria-busy', 'true');
    expect(hold).toBeDisabled();
    expect(hold.querySelector('[data-testid="spinner"]')).not.toBeNull();
    expect(screen.getByTestId('call-action-drop').querySelector('[data-testid="spinner"]')).toBeNull();
  });

  it('marks More busy when a secondary action is pending', () => {
    render(CallCard, { call: call({ actions: ['drop', 'conference'], pendingAction: 'conference' }) });
    expect(screen.getByTestId('call-more')).toHaveAttribute('aria-busy', 'true');
  });

  it('blind-transfers to a typed number', async () => {
    const user = userEvent.setup();
    render(CallCard, { call: call({ actions: ['drop', 'transferSst'] }) });
    await user.click(screen.getByTestId('call-more'));
    await user.click(screen.getByRole('button', { name: 'Blind transfer…' }));

    const field = screen.getByRole('combobox', { name: 'Number to transfer to' });
    expect(field).toHaveFocus();
    await user.type(field, '4711{Enter}');

    expect(backend.callAction).toHaveBeenCalledWith({
      callId: '16777217',
      action: 'transferSst',
      toAddress: '4711',
      dtmf: null,
      participant: null,
    });
    await waitFor(() => expect(screen.queryByTestId('blind-transfer-dial')).not.toBeInTheDocument());
  });

  it('keeps the dial box open with the reason when a consult fails', async () => {
    vi.mocked(backend.callAction).mockRejectedValueOnce({ code: 'invalid_state', message: 'Busy destination' });
    const user = userEvent.setup();
    render(CallCard, { call: call({ actions: ['drop', 'consultCall'] }) });
    await user.click(screen.getByTestId('call-more'));
    await user.click(screen.getByRole('button', { name: 'Consult…' }));
    await user.type(screen.getByTestId('consult-dial-input'), '2002{Enter}');

    expect(await screen.findByTestId('consult-dial-error')).toHaveTextContent('Busy destination');
    expect(screen.getByTestId('consult-dial-input')).toHaveValue('2002');
  });

  it('sends each keypad digit as DTMF', async () => {
    const user = userEvent.setup();
    render(CallCard, { call: call({ actions: ['drop', 'sendDtmf'] }) });
    await user.click(screen.getByTestId('call-more'));
    await user.click(screen.getByRole('button', { name: 'Keypad' }));
    await user.click(screen.getByRole('button', { name: '5' }));
    await user.keyboard('#');

    expect(backend.callAction).toHaveBeenNthCalledWith(1, expect.objectContaining({ action: 'sendDtmf', dtmf: '5' }));
    expect(backend.callAction).toHaveBeenNthCalledWith(2, expect.objectContaining({ action: 'sendDtmf', dtmf: '#' }));
    await waitFor(() => expect(screen.getByTestId('keypad-sent')).toHaveTextContent('5#'));
  });

  it('drops the chosen participant of a conference', async () => {
    const user = userEvent.setup();
    render(CallCard, {
      call: call({
        actions: ['drop', 'participantDrop'],
        participants: [
          { address: '1001', state: 'ACTIVE', isMe: true, isAgent: true },
          { address: '1002', state: 'ACTIVE', isMe: false, isAgent: true },
          { address: '+49 30 1234567', state: 'ACTIVE', isMe: false, isAgent: false },
        ],
      }),
    });
    await user.click(screen.getByTestId('call-more'));
    await user.click(screen.getByRole('button', { name: 'Drop participant…' }));
    expect(screen.getAllByTestId('call-drop-participant').map((b) => b.dataset.value)).toEqual([
      '1002',
      '+49 30 1234567',
    ]);
    await user.click(screen.getByRole('button', { name: 'Drop 1002' }));

    expect(backend.callAction).toHaveBeenCalledWith(
      expect.objectContaining({ action: 'participantDrop', participant: '1002' }),
    );
  });

  it('shows a refused action in words', async () => {
    vi.mocked(backend.callAction).mockRejectedValueOnce({ code: 'invalid_state', message: 'Call already ended' });
    render(CallCard, { call: call({ actions: ['drop'] }) });
    await fireEvent.click(screen.getByRole('button', { name: 'End' }));

    expect(await screen.findByTestId('call-error')).toHaveTextContent('Call already ended');
  });
});
