/** How calls are drawn: the words and tones of call states and types, and the control layout. */
import type { CallAction, CallState } from './generated';
import type { StateTone } from './agentState';
import { isMessageKey, t, type MessageKey } from './i18n.svelte';

export interface ActionButton {
  action: CallAction;
  label: MessageKey;
  /** Extra button class: the one everyone looks for is filled. */
  style: string;
}

/** Always in view when offered, in this order. */
export const PRIMARY_ACTIONS: readonly ActionButton[] = [
  { action: 'answer', label: 'call.answer', style: 'btn-primary' },
  { action: 'hold', label: 'call.hold', style: '' },
  { action: 'retrieve', label: 'call.resume', style: '' },
  { action: 'drop', label: 'call.end', style: 'btn-danger' },
];

/** In the "More" menu when offered. */
export const SECONDARY_ACTIONS: readonly ActionButton[] = [
  { action: 'sendDtmf', label: 'call.keypad', style: '' },
  { action: 'consultCall', label: 'call.consult', style: '' },
  { action: 'transfer', label: 'call.transfer', style: '' },
  { action: 'transferSst', label: 'call.blindTransfer', style: '' },
  { action: 'conference', label: 'call.conference', style: '' },
  { action: 'participantDrop', label: 'call.dropParticipantMenu', style: '' },
];

const STATE_LOOKS: Record<CallState, { tone: StateTone; word: MessageKey }> = {
  ringing: { tone: 'ringing', word: 'callState.ringing' },
  dialing: { tone: 'talking', word: 'callState.dialing' },
  active: { tone: 'talking', word: 'callState.active' },
  held: { tone: 'hold', word: 'callState.held' },
  failed: { tone: 'offline', word: 'callState.failed' },
  ended: { tone: 'offline', word: 'callState.ended' },
};

export function callStateLook(state: CallState): { tone: StateTone; word: MessageKey } {
  return STATE_LOOKS[state];
}

/** Finesse's callType in plain words; unknown types show as sent, `NULL` (after failover) not at all. */
export function callTypeWord(callType: string | null): string | null {
  if (!callType || callType === 'NULL') return null;
  const family = callType.startsWith('OUTBOUND') ? 'OUTBOUND' : callType;
  const key = `callType.${family}`;
  return isMessageKey(key) ? t(key) : callType;
}
