import { render, screen, waitFor, within } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import * as backend from '$lib/backend';
import { signInDefaults } from '../../test/fixtures';
import SignIn from './SignIn.svelte';

vi.mock('$lib/backend', () => import('../../test/backendMock'));

/** A promise the test settles by hand, to look at the screen while a request is in flight. */
function deferred() {
  let resolve!: () => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<void>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

async function renderFilled() {
  const user = userEvent.setup();
  render(SignIn);
  await waitFor(() => expect(screen.getByTestId('sign-in-user')).toHaveValue('anna.schmidt'));
  await user.type(screen.getByTestId('sign-in-password'), 'secret');
  return user;
}

describe('SignIn', () => {
  it('starts from the saved defaults and shows the demo hint', async () => {
    vi.mocked(backend.getSignInDefaults).mockResolvedValue(
      signInDefaults({ demoHint: 'Demo: agent 1001, password demo', nodesLocked: true }),
    );
    render(SignIn);

    expect(await screen.findByTestId('sign-in-demo-hint')).toHaveTextContent('Demo: agent 1001, password demo');
    expect(screen.getByTestId('sign-in-node-a')).toHaveValue('fin-a.example.com');
    expect(screen.getByTestId('sign-in-node-a')).toHaveAttribute('readonly');
    expect(screen.getByTestId('sign-in-extension')).toHaveValue('1001');
  });

  it('every control has an accessible name', async () => {
    render(SignIn);
    expect(screen.getByRole('textbox', { name: 'Finesse server' })).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Agent ID or login name' })).toBeInTheDocument();
    expect(screen.getByLabelText('Password')).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Extension' })).toBeInTheDocument();
    expect(screen.getByRole('checkbox', { name: 'Sign in as Mobile Agent' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument();
  });

  it('sends the form as the contract names it', async () => {
    const user = await renderFilled();
    await user.click(screen.getByTestId('sign-in-mobile-agent'));
    await user.click(screen.getByTestId('sign-in-mode-nailed'));
    await user.type(screen.getByTestId('sign-in-dial-number'), '0170 5551234');
    await user.click(screen.getByTestId('sign-in-remember'));
    await user.click(screen.getByTestId('sign-in-submit'));

    expect(backend.signIn).toHaveBeenCalledWith({
      nodeA: 'fin-a.example.com',
      nodeB: 'fin-b.example.com',
      user: 'anna.schmidt',
      password: 'secret',
      extension: '1001',
      mobileAgent: { mode: 'NAILED_CONNECTION', dialNumber: '0170 5551234' },
      deviceId: null,
      rememberMe: true,
    });
  });

  it('makes exactly one sign_in call per click and disables the button while it is in flight', async () => {
    const attempt = deferred();
    vi.mocked(backend.signIn).mockReturnValueOnce(attempt.promise);
    const user = await renderFilled();
    const button = screen.getByTestId('sign-in-submit');

    await user.click(button);
    expect(button).toBeDisabled();
    expect(screen.getByRole('status', { name: 'Signing in' })).toBeInTheDocument();
    await user.click(button);
    await user.keyboard('{Enter}');
    expect(backend.signIn).toHaveBeenCalledTimes(1);

    attempt.reject({ code: 'unreachable', message: 'connect failed' });
    await waitFor(() => expect(button).toBeEnabled());
    // A failure is shown, never retried by itself.
    expect(backend.signIn).toHaveBeenCalledTimes(1);

    await user.click(button);
    expect(backend.signIn).toHaveBeenCalledTimes(2);
  });

  it('shows a wrong password under the password field and focuses it', async () => {
    vi.mocked(backend.signIn).mockRejectedValueOnce({ code: 'wrong_password', message: 'HTTP 401' });
    const user = await renderFilled();
    await user.click(screen.getByTestId('sign-in-submit'));

    const error = await screen.findByTestId('sign-in-password-error');
    expect(error).toHaveTextContent('The password is not right');
    expect(screen.getByTestId('sign-in-password')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByTestId('sign-in-password')).toHaveFocus();
    expect(screen.getByTestId('sign-in-password')).toHaveAccessibleDescription(/password is not right/);
    expect(screen.queryByTestId('sign-in-user-error')).not.toBeInTheDocument();
    expect(screen.queryByTestId('sign-in-form-error')).not.toBeInTheDocument();
  });

  it.each([
    ['extension_in_use', 'sign-in-extension-error', 'already in use'],
    ['extension_invalid', 'sign-in-extension-error', 'not set up'],
    ['unknown_user', 'sign-in-user-error', 'No agent with this ID'],
    ['account_locked', 'sign-in-password-error', 'locked'],
    ['out_of_service', 'sign-in-node-a-error', 'out of service'],
    ['tls_untrusted', 'sign-in-node-a-error', 'certificate is not trusted'],
    ['timeout', 'sign-in-node-a-error', 'too long'],
  ])('words %s under the field it concerns', async (code, errorId, words) => {
    vi.mocked(backend.signIn).mockRejectedValueOnce({ code, message: 'server text' });
    const user = await renderFilled();
    await user.click(screen.getByTestId('sign-in-submit'));

    expect(await screen.findByTestId(errorId)).toHaveTextContent(words);
  });

  it('puts field_required under the field its message names', async () => {
    vi.mocked(backend.signIn).mockRejectedValueOnce({
      code: 'field_required',
      message: 'extension is required',
    });
    const user = await renderFilled();
    await user.clear(screen.getByTestId('sign-in-extension'));
    await user.click(screen.getByTestId('sign-in-submit'));

    expect(await screen.findByTestId('sign-in-extension-error')).toHaveTextContent('This field is required.');
    expect(screen.getByTestId('sign-in-extension')).toHaveFocus();
  });

  it('shows an unknown failure with the server words above the button', async () => {
    vi.mocked(backend.signIn).mockRejectedValueOnce({ code: 'bind_failed', message: 'XMPP bind failed' });
    const user = await renderFilled();
    await user.click(screen.getByTestId('sign-in-submit'));

    expect(await screen.findByTestId('sign-in-form-error')).toHaveTextContent('XMPP bind failed');
  });

  describe('on a line shared by several phones', () => {
    const SOFT_PHONE = { id: 'CSF1018', typeName: 'Cisco Unified Client Services Framework' };
    const DESK_PHONE = { id: 'SEP001122331018', typeName: 'Cisco 7821' };
    const choiceRequired = {
      code: 'device_choice_required',
      message: 'Your line is shared by several phones. Choose the one you are using.',
    };

    /** The first attempt is refused; the core then has the phones with the defaults. */
    async function refusedOnce() {
      vi.mocked(backend.signIn).mockRejectedValueOnce(choiceRequired);
      vi.mocked(backend.getSignInDefaults)
        .mockResolvedValueOnce(signInDefaults())
        .mockResolvedValueOnce(signInDefaults({ devices: [SOFT_PHONE, DESK_PHONE] }));
      const user = await renderFilled();
      expect(screen.queryByTestId('sign-in-device')).not.toBeInTheDocument();
      await user.click(screen.getByTestId('sign-in-submit'));
      await screen.findByTestId('sign-in-device');
      return user;
    }

    it('offers the phones from the refusal, by kind and id, with the reason under them', async () => {
      await refusedOnce();

      const picker = screen.getByRole('combobox', { name: 'Phone' });
      expect(picker).toHaveAttribute('data-testid', 'sign-in-device');
      const options = within(picker).getAllByRole('option');
      expect(options.map((option) => option.textContent)).toEqual([
        'Choose your phone',
        'Cisco Unified Client Services Framework — CSF1018',
        'Cisco 7821 — SEP001122331018',
      ]);
      expect(picker).toHaveValue('');
      expect(screen.getByTestId('sign-in-device-error')).toHaveTextContent(
        'Your line is shared by several phones. Choose the one you are using.',
      );
      expect(picker).toHaveAccessibleDescription(/shared by several phones/);
      expect(picker).toHaveFocus();
      expect(screen.queryByTestId('sign-in-form-error')).not.toBeInTheDocument();
    });

    it('signs in on the chosen phone', async () => {
      const user = await refusedOnce();
      await user.selectOptions(screen.getByTestId('sign-in-device'), 'SEP001122331018');
      await user.click(screen.getByTestId('sign-in-submit'));

      expect(backend.signIn).toHaveBeenCalledTimes(2);
      expect(backend.signIn).toHaveBeenLastCalledWith(
        expect.objectContaining({ user: 'anna.schmidt', password: 'secret', deviceId: 'SEP001122331018' }),
      );
    });

    it('asks again under the picker when signing in without a phone, without asking Finesse', async () => {
      const user = await refusedOnce();
      await user.click(screen.getByTestId('sign-in-submit'));

      expect(await screen.findByTestId('sign-in-device-error')).toHaveTextContent('Choose the one you are using');
      expect(screen.getByTestId('sign-in-device')).toHaveFocus();
      expect(backend.signIn).toHaveBeenCalledTimes(1);
    });

    it('starts with the phone used last time', async () => {
      const user = userEvent.setup();
      vi.mocked(backend.getSignInDefaults).mockResolvedValue(
        signInDefaults({ devices: [SOFT_PHONE, DESK_PHONE], deviceId: 'SEP001122331018' }),
      );
      render(SignIn);

      await waitFor(() => expect(screen.getByTestId('sign-in-device')).toHaveValue('SEP001122331018'));
      await user.type(screen.getByTestId('sign-in-password'), 'secret');
      await user.click(screen.getByTestId('sign-in-submit'));
      expect(backend.signIn).toHaveBeenCalledWith(expect.objectContaining({ deviceId: 'SEP001122331018' }));
    });

    it("does not offer one agent's phones to another", async () => {
      const user = userEvent.setup();
      vi.mocked(backend.getSignInDefaults).mockResolvedValue(
        signInDefaults({ devices: [SOFT_PHONE, DESK_PHONE], deviceId: 'SEP001122331018' }),
      );
      render(SignIn);
      await screen.findByTestId('sign-in-device');

      await user.clear(screen.getByTestId('sign-in-user'));
      await user.type(screen.getByTestId('sign-in-user'), 'ben.okafor');
      expect(screen.queryByTestId('sign-in-device')).not.toBeInTheDocument();
      await user.type(screen.getByTestId('sign-in-password'), 'secret');
      await user.click(screen.getByTestId('sign-in-submit'));
      expect(backend.signIn).toHaveBeenCalledWith(expect.objectContaining({ user: 'ben.okafor', deviceId: null }));
    });
  });
});
