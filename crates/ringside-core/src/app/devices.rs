//! The phone to sign in on when the agent's line is shared (Finesse 12 multi-line).
//!
//! The User the session read while connecting says whether device selection is on
//! (`settings/deviceSelection`) and lists the phones (`devices`). Where it is on and several
//! phones share the line, Finesse would sign the agent in on whichever it takes first, so the
//! agent must choose before LOGIN is sent. Everywhere else the sign-in goes on as before; a
//! device the User does not list is never sent, since Finesse answers it only with an
//! asynchronous "Invalid Device".
use finesse::model::{Device, User};

use crate::desk::SignInDevice;

/// What to do with the form's device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum DeviceVerdict {
    /// Sign in, with this `activeDeviceId` (`None`: let Finesse pick).
    SignInOn(Option<String>),
    /// The line is shared and the form chose none of its phones: ask the agent.
    ChoiceRequired(Vec<SignInDevice>),
}

/// The phones the agent chooses from, or none when their line is not shared (device
/// selection off, or fewer than two phones).
pub(super) fn shared_line(user: &User) -> Vec<SignInDevice> {
    let selection_on = user
        .settings
        .device_selection
        .as_ref()
        .and_then(|selection| selection.is_enabled())
        == Some(true);
    if !selection_on || user.devices.len() < 2 {
        return Vec::new();
    }
    user.devices.iter().map(offer).collect()
}

/// Decides the `activeDeviceId` of the LOGIN from the User read while connecting and the
/// device the form names (trimmed, `None` when blank).
pub(super) fn device_for_sign_in(user: Option<&User>, requested: Option<&str>) -> DeviceVerdict {
    let Some(user) = user else {
        // No User to check against: the form's choice goes as it is.
        return DeviceVerdict::SignInOn(requested.map(str::to_owned));
    };
    let listed = |id: &str| user.devices.iter().any(|device| device.device_id == id);
    if let Some(requested) = requested.filter(|id| listed(id)) {
        return DeviceVerdict::SignInOn(Some(requested.to_owned()));
    }
    let choices = shared_line(user);
    if choices.is_empty() {
        return DeviceVerdict::SignInOn(None);
    }
    // Signing in again while signed in (after a restart, say) stays on the phone in use.
    let in_use = user
        .active_device_id
        .as_deref()
        .filter(|id| user.state.is_signed_in() && listed(id));
    match in_use {
        Some(active) => DeviceVerdict::SignInOn(Some(active.to_owned())),
        None => DeviceVerdict::ChoiceRequired(choices),
    }
}

fn offer(device: &Device) -> SignInDevice {
    SignInDevice {
        id: device.device_id.clone(),
        type_name: device
            .device_type_name
            .as_deref()
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use finesse::model::AgentState;

    fn fixture(name: &str) -> User {
        let path = format!(
            "{}/tests/fixtures/sign_in_user/{name}.xml",
            env!("CARGO_MANIFEST_DIR")
        );
        let xml = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        User::from_xml(&xml).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn shared() -> User {
        fixture("shared_line_signed_out")
    }

    fn ids(devices: &[SignInDevice]) -> Vec<&str> {
        devices.iter().map(|d| d.id.as_str()).collect()
    }

    #[test]
    fn a_shared_line_without_a_chosen_phone_asks_the_agent() {
        let DeviceVerdict::ChoiceRequired(devices) = device_for_sign_in(Some(&shared()), None)
        else {
            panic!("expected a choice");
        };
        assert_eq!(ids(&devices), ["CSFJP5550016", "SEP00AABBCC5016"]);
        assert_eq!(devices[1].type_name.as_deref(), Some("Cisco 7821"));
    }

    #[test]
    fn a_phone_the_line_does_not_have_is_no_choice() {
        assert!(matches!(
            device_for_sign_in(Some(&shared()), Some("SEP999999999999")),
            DeviceVerdict::ChoiceRequired(_)
        ));
    }

    #[test]
    fn a_chosen_phone_of_the_line_is_signed_in_on() {
        assert_eq!(
            device_for_sign_in(Some(&shared()), Some("SEP00AABBCC5016")),
            DeviceVerdict::SignInOn(Some("SEP00AABBCC5016".to_owned()))
        );
    }

    #[test]
    fn signing_in_again_stays_on_the_phone_in_use() {
        let mut user = shared();
        user.state = AgentState::NotReady;
        user.active_device_id = Some("SEP00AABBCC5016".to_owned());
        assert_eq!(
            device_for_sign_in(Some(&user), None),
            DeviceVerdict::SignInOn(Some("SEP00AABBCC5016".to_owned()))
        );
        // Signed out, the phone Finesse last reported is no choice of the agent's.
        user.state = AgentState::Logout;
        assert!(matches!(
            device_for_sign_in(Some(&user), None),
            DeviceVerdict::ChoiceRequired(_)
        ));
    }

    #[test]
    fn with_selection_off_finesse_picks_and_unknown_phones_are_not_sent() {
        let off = fixture("shared_line_selection_off");
        assert!(shared_line(&off).is_empty());
        assert_eq!(
            device_for_sign_in(Some(&off), None),
            DeviceVerdict::SignInOn(None)
        );
        assert_eq!(
            device_for_sign_in(Some(&off), Some("SEP00AABBCC5016")),
            DeviceVerdict::SignInOn(Some("SEP00AABBCC5016".to_owned()))
        );
        assert_eq!(
            device_for_sign_in(Some(&off), Some("SEP999999999999")),
            DeviceVerdict::SignInOn(None)
        );
    }

    #[test]
    fn a_line_with_one_phone_or_none_signs_in_as_before() {
        let single = fixture("single_phone");
        assert!(shared_line(&single).is_empty());
        assert_eq!(
            device_for_sign_in(Some(&single), None),
            DeviceVerdict::SignInOn(None)
        );
        let plain = fixture("no_devices");
        assert!(shared_line(&plain).is_empty());
        // A phone remembered from another agent's shared line is not sent.
        assert_eq!(
            device_for_sign_in(Some(&plain), Some("CSFJP5550016")),
            DeviceVerdict::SignInOn(None)
        );
    }
}
