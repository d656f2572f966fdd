import { render, screen, waitFor } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { fireEvent } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import * as backend from '$lib/backend';
import { settings } from '../../test/fixtures';
import Settings from './Settings.svelte';

vi.mock('$lib/backend', () => import('../../test/backendMock'));

async function renderLoaded(overrides = {}) {
  vi.mocked(backend.getSettings).mockResolvedValue(settings(overrides));
  vi.mocked(backend.listAudioOutputs).mockResolvedValue(['Speakers', 'Headset']);
  render(Settings);
  await screen.findByTestId('settings-ringtone');
  await waitFor(() => expect(screen.getByRole('option', { name: 'Headset' })).toBeInTheDocument());
}

describe('Settings', () => {
  it('shows the saved settings', async () => {
    await renderLoaded({ volume: 0.4, outputDevice: 'Headset' });
    expect(screen.getByTestId('settings-ringtone')).toHaveValue('builtin:classic');
    expect(screen.getByTestId('settings-volume')).toHaveValue('40');
    expect(screen.getByTestId('settings-output')).toHaveValue('Headset');
    expect(screen.getByTestId('settings-pop-up')).toBeChecked();
    expect(screen.getByTestId('settings-theme-system')).toBeChecked();
  });

  it('saves a change at once and applies the theme', async () => {
    const user = userEvent.setup();
    await renderLoaded();
    await user.click(screen.getByRole('radio', { name: 'Dark' }));

    expect(backend.saveSettings).toHaveBeenCalledWith(settings({ theme: 'dark' }));
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(await screen.findByText('Saved')).toBeInTheDocument();
  });

  it('switches the language of the whole UI', async () => {
    const user = userEvent.setup();
    await renderLoaded();
    await user.selectOptions(screen.getByTestId('settings-language'), 'de');

    expect(backend.saveSettings).toHaveBeenCalledWith(settings({ language: 'de' }));
    expect(screen.getByRole('heading', { name: 'Einstellungen' })).toBeInTheDocument();
  });

  it('takes the volume as a share of one', async () => {
    await renderLoaded();
    await fireEvent.change(screen.getByTestId('settings-volume'), { target: { value: '25' } });
    expect(backend.saveSettings).toHaveBeenCalledWith(settings({ volume: 0.25 }));
  });

  it('takes an own sound file by path', async () => {
    const user = userEvent.setup();
    await renderLoaded();
    await user.selectOptions(screen.getByTestId('settings-ringtone'), 'own-file');
    expect(backend.saveSettings).not.toHaveBeenCalled();

    await user.type(screen.getByTestId('settings-ringtone-path'), '/home/anna/ring.ogg');
    await user.tab();
    expect(backend.saveSettings).toHaveBeenCalledWith(settings({ ringtone: '/home/anna/ring.ogg' }));
  });

  it('picks the system default output as null', async () => {
    const user = userEvent.setup();
    await renderLoaded({ outputDevice: 'Headset' });
    await user.selectOptions(screen.getByTestId('settings-output'), 'System default');
    expect(backend.saveSettings).toHaveBeenCalledWith(settings({ outputDevice: null }));
  });

  it('previews the ringtone after the last save', async () => {
    const user = userEvent.setup();
    await renderLoaded();
    await user.selectOptions(screen.getByTestId('settings-ringtone'), 'builtin:soft');
    await user.click(screen.getByRole('button', { name: 'Preview' }));

    await waitFor(() => expect(backend.previewRingtone).toHaveBeenCalledTimes(1));
    expect(vi.mocked(backend.saveSettings).mock.invocationCallOrder[0]).toBeLessThan(
      vi.mocked(backend.previewRingtone).mock.invocationCallOrder[0],
    );
  });

  it('says when saving failed', async () => {
    vi.mocked(backend.saveSettings).mockRejectedValueOnce({ code: 'io', message: 'Disk full' });
    const user = userEvent.setup();
    await renderLoaded();
    await user.click(screen.getByTestId('settings-start-minimised'));
    expect(await screen.findByText('Disk full')).toBeInTheDocument();
  });
});
