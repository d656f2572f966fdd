import { fireEvent, render, screen } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import * as backend from '$lib/backend';
import DialBox, { SEARCH_DELAY_MS } from './DialBox.svelte';

vi.mock('$lib/backend', () => import('../../test/backendMock'));

const contacts = [
  { name: 'Anna Berg', number: '+49 40 555 0101', description: 'Billing', phoneBook: 'Global' },
  { name: 'Anton Weiß', number: '2002', description: null, phoneBook: 'Team' },
];

function renderDialBox() {
  const onSubmit = vi.fn((_: string) => Promise.resolve());
  render(DialBox, { label: 'Number or name to call', submitLabel: 'Call', testid: 'make-call', onSubmit });
  return { onSubmit, field: screen.getByRole('combobox', { name: 'Number or name to call' }) };
}

describe('DialBox', () => {
  it('searches the phone books once the typing pauses', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    vi.mocked(backend.searchContacts).mockResolvedValue(contacts);
    const { field } = renderDialBox();

    await fireEvent.input(field, { target: { value: 'a' } });
    await fireEvent.input(field, { target: { value: 'an' } });
    await fireEvent.input(field, { target: { value: 'ann' } });
    expect(backend.searchContacts).not.toHaveBeenCalled();

    await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS);
    expect(backend.searchContacts).toHaveBeenCalledTimes(1);
    expect(backend.searchContacts).toHaveBeenCalledWith('ann');
    expect(await screen.findAllByTestId('make-call-contact')).toHaveLength(2);
  });

  it('calls the highlighted contact on Enter', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    vi.mocked(backend.searchContacts).mockResolvedValue(contacts);
    const { field, onSubmit } = renderDialBox();

    await fireEvent.input(field, { target: { value: 'an' } });
    await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS);
    await screen.findAllByTestId('make-call-contact');
    await fireEvent.keyDown(field, { key: 'ArrowDown' });
    await fireEvent.keyDown(field, { key: 'ArrowDown' });
    expect(field).toHaveAttribute('aria-activedescendant', screen.getAllByRole('option')[1].id);
    await fireEvent.keyDown(field, { key: 'Enter' });

    expect(onSubmit).toHaveBeenCalledWith('2002');
  });

  it('dials a raw number as typed', async () => {
    const { field, onSubmit } = renderDialBox();
    await fireEvent.input(field, { target: { value: ' 0301234567 ' } });
    await fireEvent.click(screen.getByTestId('make-call-submit'));

    expect(onSubmit).toHaveBeenCalledWith('0301234567');
  });

  it('ignores an answer to an older search', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let answerFirst!: (found: typeof contacts) => void;
    vi.mocked(backend.searchContacts)
      .mockReturnValueOnce(new Promise((resolve) => (answerFirst = resolve)))
      .mockResolvedValueOnce([contacts[1]]);
    const { field } = renderDialBox();

    await fireEvent.input(field, { target: { value: 'an' } });
    await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS);
    await fireEvent.input(field, { target: { value: 'anto' } });
    await vi.advanceTimersByTimeAsync(SEARCH_DELAY_MS);
    answerFirst(contacts);
    await vi.advanceTimersByTimeAsync(0);

    expect(screen.getAllByTestId('make-call-contact').map((c) => c.textContent)).toEqual([
      expect.stringContaining('Anton Weiß'),
    ]);
  });
});
