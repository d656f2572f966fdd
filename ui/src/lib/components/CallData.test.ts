import { render, screen, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { CallDataItem } from '$lib/generated';
import CallData from './CallData.svelte';

const items: CallDataItem[] = [
  {
    key: 'user.cisco.customer.accountnumber',
    label: 'Customer account number',
    shortLabel: 'Customer accoun',
    value: 'AC-99812',
    inPopUp: true,
  },
  { key: 'callVariable1', label: 'Language', shortLabel: 'Language', value: 'de', inPopUp: false },
];

function stubClipboard(writeText: (text: string) => Promise<void>) {
  Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
}

describe('CallData', () => {
  it('shows the cut label with the full label as tooltip and accessible name', () => {
    render(CallData, { items });

    const label = screen.getAllByTestId('call-data-label')[0];
    expect(label).toHaveTextContent(/^Customer accoun$/);
    expect(label).toHaveAttribute('title', 'Customer account number');
    expect(label).toHaveAccessibleName('Customer account number');
    expect(screen.getAllByTestId('call-data-value')[0]).toHaveTextContent('AC-99812');
  });

  it('names each copy button after the full label', () => {
    render(CallData, { items });
    expect(screen.getByRole('button', { name: 'Copy Customer account number' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Copy Language' })).toBeInTheDocument();
  });

  it('copies a value with one click and says so', async () => {
    // user-event brings its own clipboard: stand ours in after it.
    const user = userEvent.setup();
    const writeText = vi.fn((_: string) => Promise.resolve());
    stubClipboard(writeText);
    render(CallData, { items });

    await user.click(screen.getByRole('button', { name: 'Copy Customer account number' }));

    expect(writeText).toHaveBeenCalledWith('AC-99812');
    const row = screen.getAllByTestId('call-data-row')[0];
    expect(await within(row).findByText('Copied')).toBeInTheDocument();
    expect(within(screen.getAllByTestId('call-data-row')[1]).queryByText('Copied')).not.toBeInTheDocument();
  });

  it('says when the clipboard refused', async () => {
    const user = userEvent.setup();
    stubClipboard(() => Promise.reject(new Error('denied')));
    render(CallData, { items });

    await user.click(screen.getByRole('button', { name: 'Copy Language' }));
    expect(await screen.findByText('Copy failed')).toBeInTheDocument();
  });

  it('draws nothing without call data', () => {
    render(CallData, { items: [] });
    expect(screen.queryByTestId('call-data')).not.toBeInTheDocument();
  });
});
