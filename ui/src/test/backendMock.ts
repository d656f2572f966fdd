/**
 * Stand-in for `$lib/backend`, typed against the real module so a contract change breaks the
 * tests at compile time. Use with `vi.mock('$lib/backend', () => import('<path>/backendMock'))`.
 */
import { vi } from 'vitest';
import type * as Backend from '$lib/backend';
import { emptyLookups, signInDefaults } from './fixtures';

export const EVENTS = { desk: 'desk', popUp: 'pop-up' } as const;

const done = () => Promise.resolve();
const stopListening = () => Promise.resolve(() => {});

export const signIn = vi.fn<typeof Backend.signIn>(done);
export const signOut = vi.fn<typeof Backend.signOut>(done);
export const setState = vi.fn<typeof Backend.setState>(done);
export const callAction = vi.fn<typeof Backend.callAction>(done);
export const makeCall = vi.fn<typeof Backend.makeCall>(done);
export const setWrapUp = vi.fn<typeof Backend.setWrapUp>(done);
export const getDesk = vi.fn<typeof Backend.getDesk>(() => new Promise(() => {}));
export const getLookups = vi.fn<typeof Backend.getLookups>(() => Promise.resolve(emptyLookups()));
export const searchContacts = vi.fn<typeof Backend.searchContacts>(() => Promise.resolve([]));
export const getSignInDefaults = vi.fn<typeof Backend.getSignInDefaults>(() =>
  Promise.resolve(signInDefaults()),
);
export const getSettings = vi.fn<typeof Backend.getSettings>(() => new Promise(() => {}));
export const saveSettings = vi.fn<typeof Backend.saveSettings>(done);
export const dismissAlert = vi.fn<typeof Backend.dismissAlert>(done);
export const dismissPopUp = vi.fn<typeof Backend.dismissPopUp>(done);
export const listAudioOutputs = vi.fn<typeof Backend.listAudioOutputs>(() => Promise.resolve([]));
export const previewRingtone = vi.fn<typeof Backend.previewRingtone>(done);
export const onDesk = vi.fn<typeof Backend.onDesk>(stopListening);
export const onPopUp = vi.fn<typeof Backend.onPopUp>(stopListening);
