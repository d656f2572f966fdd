/**
 * Browser preview for `npm run dev` (not part of the build): `/preview.html?screen=desk&theme=dark`
 * draws a window from fixture data through Tauri's IPC mock, so layouts can be looked at and
 * screenshotted without the shell. Screens: sign-in, desk, ringing, conference, wrap-up,
 * reconnecting, out-of-service, settings, pop-up; `click=state-switch,state-option-not-ready` opens
 * menus by data-testid.
 */
import { mount } from 'svelte';
import { emit } from '@tauri-apps/api/event';
import { mockIPC } from '@tauri-apps/api/mocks';
import type { DeskView, IncomingCallView } from '$lib/generated';
import {
  agent,
  call,
  callDataItem,
  connection,
  desk,
  lookups,
  settings,
  signedOutDesk,
  signInDefaults,
  wrapUp,
} from '../test/fixtures';
import App from '../App.svelte';
import PopUpWindow from '../PopUpWindow.svelte';
import '../styles/app.css';

const params = new URLSearchParams(location.search);
const screen = params.get('screen') ?? 'desk';
const now = Date.now();

const ringing = call({
  state: 'ringing',
  actions: ['answer'],
  stateSince: now - 3_000,
  callData: [
    callDataItem('user.cisco.customer.accountnumber', 'Customer account number', 'AC-99812'),
    callDataItem('callVariable2', 'Language', 'de'),
    callDataItem('callVariable3', 'Queue', 'Billing'),
  ],
});

const desks: Record<string, DeskView> = {
  'sign-in': signedOutDesk(),
  desk: desk({ agent: agent({ state: 'ready', stateSince: now - 125_000 }) }),
  ringing: desk({ agent: agent({ state: 'reserved', stateSince: now - 3_000 }), calls: [ringing] }),
  conference: desk({
    agent: agent({
      state: 'talking',
      stateSince: now - 95_000,
      pending: { state: 'notReady', reasonLabel: 'Lunch' },
    }),
    calls: [
      call({
        stateSince: now - 95_000,
        actions: ['hold', 'drop', 'sendDtmf', 'consultCall', 'transferSst', 'conference'],
        pendingAction: 'hold',
        callData: ringing.callData,
      }),
    ],
  }),
  'wrap-up': desk({
    agent: agent({ state: 'work', stateSince: now - 20_000 }),
    wrapUp: wrapUp({ deadline: now + 40_000, reasonRequired: true }),
  }),
  reconnecting: desk({
    agent: agent({
      state: 'notReady',
      stateSince: now - 300_000,
      reason: { id: '2', code: 11, label: 'Lunch', system: false },
    }),
    connection: connection({
      status: 'reconnecting',
      node: 'fin-b',
      since: now - 4_000,
      attempt: 2,
      reasonCode: 'ping_timeout',
    }),
    alerts: [
      { id: 1, level: 'warning', code: 'not_ready_long', message: 'Not Ready for 15 minutes', at: now - 60_000 },
    ],
  }),
  'out-of-service': desk({
    agent: agent({ state: 'notReady', stateSince: now - 30_000 }),
    connection: connection({ status: 'outOfService', node: 'fin-a', since: now - 12_000 }),
  }),
  settings: desk({ agent: agent({ stateSince: now - 125_000 }) }),
};

const popUp: IncomingCallView = {
  callId: ringing.id,
  caller: ringing.otherParty,
  dialedNumber: ringing.dialedNumber,
  items: [
    { label: 'Account', value: 'AC-99812' },
    { label: 'Language', value: 'de' },
  ],
  canAnswer: true,
};

mockIPC(
  (command) => {
    switch (command) {
      case 'get_desk':
        return desks[screen] ?? desks.desk;
      case 'get_lookups':
        return lookups();
      case 'get_sign_in_defaults':
        return signInDefaults({ demoHint: 'Demo: agent 1001 / password demo, extension 1001' });
      case 'get_settings':
        return settings({
          theme: (params.get('theme') as 'light' | 'dark' | null) ?? 'system',
          language: params.get('lang'),
        });
      case 'list_audio_outputs':
        return ['Built-in speakers', 'USB headset'];
      case 'search_contacts':
        return [{ name: 'Anna Berg', number: '+49 40 555 0101', description: 'Billing', phoneBook: 'Global' }];
      default:
        return null;
    }
  },
  { shouldMockEvents: true },
);

const target = document.getElementById('app');
if (target) {
  if (screen === 'pop-up') {
    mount(PopUpWindow, { target });
    setTimeout(() => void emit('pop-up', popUp), 50);
  } else {
    mount(App, { target });
    // `click=a,b` clicks the elements with those data-testids in turn, to show menus open.
    const clicks = (params.get('click') ?? (screen === 'settings' ? 'tab-settings' : '')).split(',');
    clicks.filter(Boolean).forEach((testid, index) => {
      setTimeout(() => document.querySelector<HTMLElement>(`[data-testid="${testid}"]`)?.click(), 150 * (index + 1));
    });
  }
}
