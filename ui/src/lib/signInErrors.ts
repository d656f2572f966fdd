/** Which sign-in field a failure concerns, so its words appear right under that field. */
import type { UiError } from './generated';
import { describeError } from './errors';
import { t } from './i18n.svelte';

export type SignInField =
  | 'nodeA'
  | 'nodeB'
  | 'user'
  | 'password'
  | 'extension'
  | 'device'
  | 'dialNumber'
  | 'form';

/** Names the core may use for a field in a `field_required` message, most specific first. */
const FIELD_NAMES: [Exclude<SignInField, 'form' | 'device'>, string[]][] = [
  ['dialNumber', ['dialnumber', 'dial_number', 'dial number']],
  ['nodeB', ['nodeb', 'node_b', 'node b']],
  ['nodeA', ['nodea', 'node_a', 'node a', 'server', 'host']],
  ['password', ['password']],
  ['extension', ['extension']],
  ['user', ['user', 'login', 'agent id', 'agent_id']],
];

const FIELD_OF_CODE: Record<string, SignInField> = {
  wrong_password: 'password',
  account_locked: 'password',
  unknown_user: 'user',
  extension_invalid: 'extension',
  extension_in_use: 'extension',
  device_choice_required: 'device',
  out_of_service: 'nodeA',
  unreachable: 'nodeA',
  tls_untrusted: 'nodeA',
  timeout: 'nodeA',
};

function requiredField(message: string): SignInField {
  const text = message.toLowerCase();
  for (const [field, names] of FIELD_NAMES) {
    if (names.some((name) => text.includes(name))) return field;
  }
  return 'form';
}

/** The field a sign-in failure belongs under, and its words in the current language. */
export function placeSignInError(error: UiError): { field: SignInField; text: string } {
  if (error.code === 'field_required') {
    const field = requiredField(error.message);
    return { field, text: field === 'form' ? error.message || t('error.field_required') : t('error.field_required') };
  }
  return { field: FIELD_OF_CODE[error.code] ?? 'form', text: describeError(error) };
}
