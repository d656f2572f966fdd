import { beforeEach, describe, expect, it, vi } from 'vitest';
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import * as backend from './backend';

vi.mock('@tauri-apps/api/core', () => ({ invoke: vi.fn(() => Promise.resolve(null)) }));
vi.mock('@tauri-apps/api/event', () => ({ listen: vi.fn(() => Promise.resolve(() => {})) }));

beforeEach(() => {
  vi.mocked(invoke).mockResolvedValue(null);
  vi.mocked(listen).mockResolvedValue(() => {});
});

describe('backend speaks the contract of desk/requests.rs', () => {
  it.each([
    ['sign_in', () => backend.signIn(form), { form }],
    ['sign_out', () => backend.signOut('7'), { reasonId: '7' }],
    ['set_state', () => backend.setState({ state: 'ready', reasonId: null }), { request: { state: 'ready', reasonId: null } }],
    ['make_call', () => backend.makeCall('4711'), { number: '4711' }],
    ['set_wrap_up', () => backend.setWrapUp({ reason: 'Sale', then: null }), { request: { reason: 'Sale', then: null } }],
    ['search_contacts', () => backend.searchContacts('ann'), { query: 'ann' }],
    ['dismiss_alert', () => backend.dismissAlert(3), { id: 3 }],
    ['dismiss_pop_up', () => backend.dismissPopUp('16777217'), { callId: '16777217' }],
  ] as const)('%s with its named arguments', async (command, call, args) => {
    await call();
    expect(invoke).toHaveBeenCalledWith(command, args);
  });

  it('call_action takes the request', async () => {
    const request = { callId: '1', action: 'hold', toAddress: null, dtmf: null, participant: null } as const;
    await backend.callAction(request);
    expect(invoke).toHaveBeenCalledWith('call_action', { request });
  });

  it('save_settings takes the settings', async () => {
    const settings = {
      ringtone: 'builtin:classic',
      volume: 1,
      outputDevice: null,
      popUpEnabled: true,
      startMinimised: false,
      theme: 'system',
      language: null,
      builtinRingtones: [],
    } as const;
    await backend.saveSettings({ ...settings, builtinRingtones: [] });
    expect(invoke).toHaveBeenCalledWith('save_settings', { settings: { ...settings, builtinRingtones: [] } });
  });

  it.each([
    ['get_desk', backend.getDesk],
    ['get_lookups', backend.getLookups],
    ['get_sign_in_defaults', backend.getSignInDefaults],
    ['get_settings', backend.getSettings],
    ['list_audio_outputs', backend.listAudioOutputs],
    ['preview_ringtone', backend.previewRingtone],
  ] as const)('%s without arguments', async (command, call) => {
    await call();
    expect(invoke).toHaveBeenCalledWith(command);
  });

  it('hands on the payload of the desk and pop-up events', async () => {
    const seen: unknown[] = [];
    await backend.onDesk((desk) => seen.push(desk));
    await backend.onPopUp((call) => seen.push(call));

    expect(vi.mocked(listen).mock.calls.map(([name]) => name)).toEqual(['desk', 'pop-up']);
    for (const [, handler] of vi.mocked(listen).mock.calls) {
      handler({ event: 'x', id: 1, payload: 'payload' });
    }
    expect(seen).toEqual(['payload', 'payload']);
  });
});

const form = {
  nodeA: 'fin-a',
  nodeB: null,
  user: 'anna',
  password: 'pw',
  extension: '1001',
  mobileAgent: null,
  deviceId: null,
  rememberMe: false,
};
