import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import * as backend from '$lib/backend';
import type { AlertView } from '$lib/generated';
import { NOW } from '../../test/fixtures';
import Alerts from './Alerts.svelte';

vi.mock('$lib/backend', () => import('../../test/backendMock'));

const alerts: AlertView[] = [
  { id: 3, level: 'error', code: 'request_failed', message: 'Hold failed: call not found', at: NOW },
  { id: 4, level: 'info', code: 'reminder', message: 'Not Ready for 15 minutes', at: NOW },
];

describe('Alerts', () => {
  it('lists each message with its level in words', () => {
    render(Alerts, { alerts });
    const items = screen.getAllByTestId('alert');
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent('Error:');
    expect(items[0]).toHaveTextContent('Hold failed: call not found');
  });

  it('dismisses one alert by its id', async () => {
    const user = userEvent.setup();
    render(Alerts, { alerts });
    await user.click(screen.getByRole('button', { name: 'Dismiss: Hold failed: call not found' }));

    expect(backend.dismissAlert).toHaveBeenCalledWith(3);
    expect(screen.getAllByTestId('alert')).toHaveLength(1);
  });

  it('brings an alert back when the dismissal is refused', async () => {
    vi.mocked(backend.dismissAlert).mockRejectedValueOnce({ code: 'not_found', message: 'no such alert' });
    const user = userEvent.setup();
    render(Alerts, { alerts });
    await user.click(screen.getAllByTestId('alert-dismiss')[0]);

    await waitFor(() => expect(screen.getAllByTestId('alert')).toHaveLength(2));
  });
});
