/**
 * The one door to the Rust side. Command and argument names are the contract in
 * `crates/ringside-core/src/desk/requests.rs`; Tauri maps the camelCase argument names here to
 * the snake_case parameters of the commands. Components call these functions, never `invoke`,
 * so tests mock just this module.
 */
import { invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type {
  CallActionRequest,
  ContactView,
  DeskView,
  IncomingCallView,
  Lookups,
  SettingsView,
  SignInDefaults,
  SignInForm,
  StateRequest,
  WrapUpRequest,
} from './generated';

/** Event names the shell emits (`ringside_core::app::ui_events`). */
export const EVENTS = {
  desk: 'desk',
  popUp: 'pop-up',
} as const;

export function signIn(form: SignInForm): Promise<void> {
  return invoke('sign_in', { form });
}

export function signOut(reasonId: string | null): Promise<void> {
  return invoke('sign_out', { reasonId });
}

export function setState(request: StateRequest): Promise<void> {
  return invoke('set_state', { request });
}

export function callAction(request: CallActionRequest): Promise<void> {
  return invoke('call_action', { request });
}

export function makeCall(number: string): Promise<void> {
  return invoke('make_call', { number });
}

export function setWrapUp(request: WrapUpRequest): Promise<void> {
  return invoke('set_wrap_up', { request });
}

export function getDesk(): Promise<DeskView> {
  return invoke('get_desk');
}

export function getLookups(): Promise<Lookups> {
  return invoke('get_lookups');
}

export function searchContacts(query: string): Promise<ContactView[]> {
  return invoke('search_contacts', { query });
}

export function getSignInDefaults(): Promise<SignInDefaults> {
  return invoke('get_sign_in_defaults');
}

export function getSettings(): Promise<SettingsView> {
  return invoke('get_settings');
}

export function saveSettings(settings: SettingsView): Promise<void> {
  return invoke('save_settings', { settings });
}

export function dismissAlert(id: number): Promise<void> {
  return invoke('dismiss_alert', { id });
}

export function dismissPopUp(callId: string): Promise<void> {
  return invoke('dismiss_pop_up', { callId });
}

export function listAudioOutputs(): Promise<string[]> {
  return invoke('list_audio_outputs');
}

export function previewRingtone(): Promise<void> {
  return invoke('preview_ringtone');
}

/** Calls `handler` with every new desk the shell emits; resolves to the function that stops it. */
export function onDesk(handler: (desk: DeskView) => void): Promise<UnlistenFn> {
  return listen<DeskView>(EVENTS.desk, (event) => handler(event.payload));
}

/** Calls `handler` with the pop-up's call, or `null` when the pop-up should close. */
export function onPopUp(handler: (call: IncomingCallView | null) => void): Promise<UnlistenFn> {
  return listen<IncomingCallView | null>(EVENTS.popUp, (event) => handler(event.payload));
}
