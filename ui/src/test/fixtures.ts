/** Real-shaped view values for tests; each builder takes the fields a test cares about. */
import type {
  AgentView,
  CallDataItem,
  CallView,
  ConnectionView,
  DeskView,
  Lookups,
  SettingsView,
  SignInDefaults,
  WrapUpView,
} from '$lib/generated';

export const NOW = Date.UTC(2025, 2, 14, 9, 30, 0);

export function agent(overrides: Partial<AgentView> = {}): AgentView {
  return {
    id: '1001001',
    loginName: 'anna.schmidt',
    name: 'Anna Schmidt',
    extension: '1001',
    isSupervisor: false,
    state: 'ready',
    reason: null,
    stateSince: NOW - 65_000,
    pending: null,
    requested: null,
    mobileAgent: null,
    allowedStates: ['ready', 'notReady', 'loggedOut'],
    ...overrides,
  };
}

export function connection(overrides: Partial<ConnectionView> = {}): ConnectionView {
  return {
    status: 'connected',
    node: 'fin-a.example.com',
    since: NOW - 600_000,
    attempt: null,
    reasonCode: null,
    detail: null,
    ...overrides,
  };
}

export function callDataItem(key: string, label: string, value: string): CallDataItem {
  return { key, label, shortLabel: label.length > 15 ? label.slice(0, 15) : label, value, inPopUp: false };
}

export function call(overrides: Partial<CallView> = {}): CallView {
  return {
    id: '16777217',
    direction: 'inbound',
    otherParty: '+49 30 1234567',
    dialedNumber: '8000',
    callType: 'ACD_IN',
    state: 'active',
    stateSince: NOW - 42_000,
    started: NOW - 50_000,
    actions: ['hold', 'drop'],
    participants: [
      { address: '1001', state: 'ACTIVE', isMe: true, isAgent: true },
      { address: '+49 30 1234567', state: 'ACTIVE', isMe: false, isAgent: false },
    ],
    callData: [callDataItem('callVariable1', 'Account', '4711')],
    pendingAction: null,
    isMonitoring: false,
    ...overrides,
  };
}

export function wrapUp(overrides: Partial<WrapUpView> = {}): WrapUpView {
  return {
    dialogId: '16777217',
    deadline: NOW + 90_000,
    reason: null,
    then: 'ready',
    reasonRequired: false,
    ...overrides,
  };
}

export function lookups(): Lookups {
  return {
    notReadyReasons: [
      { id: '1', label: 'Break', code: 10 },
      { id: '2', label: 'Lunch', code: 11 },
      { id: '3', label: 'Meeting', code: 12 },
    ],
    logoutReasons: [
      { id: '7', label: 'End of shift', code: 20 },
      { id: '8', label: 'Training', code: 21 },
    ],
    wrapUpReasons: ['Sale', 'Complaint', 'Callback requested'],
  };
}

export function emptyLookups(): Lookups {
  return { notReadyReasons: [], logoutReasons: [], wrapUpReasons: [] };
}

export function desk(overrides: Partial<DeskView> = {}): DeskView {
  return { connection: connection(), agent: agent(), calls: [], wrapUp: null, alerts: [], ...overrides };
}

export function signedOutDesk(): DeskView {
  return desk({ connection: connection({ status: 'signedOut', node: null, since: null }), agent: null });
}

export function signInDefaults(overrides: Partial<SignInDefaults> = {}): SignInDefaults {
  return {
    nodeA: 'fin-a.example.com',
    nodeB: 'fin-b.example.com',
    user: 'anna.schmidt',
    extension: '1001',
    hasSavedPassword: false,
    demoHint: null,
    nodesLocked: false,
    devices: [],
    deviceId: null,
    ...overrides,
  };
}

export function settings(overrides: Partial<SettingsView> = {}): SettingsView {
  return {
    ringtone: 'builtin:classic',
    volume: 0.8,
    outputDevice: null,
    popUpEnabled: true,
    startMinimised: false,
    theme: 'system',
    language: null,
    builtinRingtones: ['classic', 'soft'],
    ...overrides,
  };
}
