//! The app in its real webview, driven over WebDriver: `tauri-driver` in front of Debian's
//! `WebKitWebDriver`, started inside the test's [`Desktop`] so the app it launches gets the
//! private display, bus, keyring and sound server. [`AppSession`] is one run of the app.
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::wd::{Capabilities, WindowHandle};
use fantoccini::{Client, ClientBuilder, Locator};
use finesse_emulator::config::DEMO_PASSWORD;
use serde_json::{json, Value};

use super::desktop::Desktop;
use super::prerequisites::{find_program, screens_dir};
use super::wait::{wait_until, wait_until_async, Deadline};

/// Safety net for anything the UI should show soon (a WebDriver step, an emulator event).
pub const PATIENCE: Duration = Duration::from_secs(30);

/// Ports handed out to one test process, below the kernel's ephemeral range.
const PORTS_PER_PROCESS: u16 = 40;

/// A free port for the driver. `bind(0)` would take one from the ephemeral range, where the
/// emulator's listeners and every outgoing connection take theirs too: between this check
/// and the driver's own bind, a parallel test could grab it. Ports below that range are
/// handed out once per process instead (a block per process id, a counter within it).
fn free_port() -> u16 {
    static NEXT: AtomicU16 = AtomicU16::new(0);
    let block = u16::try_from(std::process::id() % 250).unwrap_or(0);
    let base = 20_000 + block * PORTS_PER_PROCESS;
    for _ in 0..PORTS_PER_PROCESS {
        let port = base + NEXT.fetch_add(1, Ordering::Relaxed) % PORTS_PER_PROCESS;
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    panic!("no free port in {base}..{}", base + PORTS_PER_PROCESS);
}

/// A running `tauri-driver` (and, under it, `WebKitWebDriver`).
pub struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    /// Start the driver in `desktop`'s environment, in a process group of its own so that
    /// stopping it also stops WebKitWebDriver and any app it launched.
    pub fn start(desktop: &Desktop) -> Driver {
        let port = free_port();
        let native_port = free_port();
        let native = find_program("WebKitWebDriver").unwrap();
        let child = std::os::unix::process::CommandExt::process_group(
            desktop
                .command("tauri-driver")
                .arg("--port")
                .arg(port.to_string())
                .arg("--native-port")
                .arg(native_port.to_string())
                .arg("--native-driver")
                .arg(&native),
            0,
        )
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
        let up = wait_until(PATIENCE, || {
            std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
        });
        assert!(up, "tauri-driver did not open port {port}");
        Driver { child, port }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Processes started by the WebKitWebDriver under this driver (the app).
    fn app_pids(&self) -> Vec<u32> {
        // Each thread lists the children it started.
        let children = |pid: u32| -> Vec<u32> {
            let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
                return Vec::new();
            };
            tasks
                .flatten()
                .flat_map(|task| {
                    std::fs::read_to_string(task.path().join("children"))
                        .unwrap_or_default()
                        .split_whitespace()
                        .filter_map(|p| p.parse().ok())
                        .collect::<Vec<u32>>()
                })
                .collect()
        };
        children(self.child.id())
            .into_iter()
            .flat_map(children)
            .collect()
    }
}

/// Whether a process is gone (or only a zombie waiting for its parent).
fn process_gone(pid: u32) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => stat
            .rsplit_once(") ")
            .and_then(|(_, rest)| rest.chars().next())
            .is_some_and(|state| state == 'Z' || state == 'X'),
        Err(_) => true,
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The whole group: tauri-driver, WebKitWebDriver, and an app still running.
        let group = format!("-{}", self.child.id());
        let _ = std::process::Command::new("kill")
            .args(["-TERM", "--", &group])
            .status();
        let _ = self.child.wait();
    }
}

/// Which of the app's two windows to talk to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppWindow {
    Main,
    PopUp,
}

/// One run of the app under WebDriver.
pub struct AppSession {
    client: Client,
    main: WindowHandle,
    pop_up: WindowHandle,
}

fn by_testid(testid: &str) -> String {
    format!("[data-testid=\"{testid}\"]")
}

impl AppSession {
    /// Launch `app` with `args` and find its two windows.
    pub async fn launch(driver: &Driver, app: &Path, args: &[String]) -> AppSession {
        let mut capabilities = Capabilities::new();
        capabilities.insert(
            "tauri:options".into(),
            json!({ "application": app, "args": args }),
        );
        capabilities.insert("browserName".into(), json!("wry"));
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = ClientBuilder::new(connector)
            .capabilities(capabilities)
            .connect(&driver.url())
            .await
            .unwrap_or_else(|e| panic!("the app did not start under WebDriver: {e}"));
        // Both webviews are created at start (the pop-up hidden); tell them apart by page.
        let mut main = None;
        let mut pop_up = None;
        let deadline = Deadline::after(PATIENCE);
        loop {
            for handle in client.windows().await.unwrap_or_default() {
                if client.switch_to_window(handle.clone()).await.is_err() {
                    continue;
                }
                let page = client
                    .execute("return window.location.pathname", vec![])
                    .await
                    .unwrap_or(Value::Null);
                match page.as_str().unwrap_or_default() {
                    p if p.ends_with("popup.html") => pop_up = Some(handle),
                    p if p.ends_with("index.html") || p == "/" => main = Some(handle),
                    _ => {}
                }
            }
            if (main.is_some() && pop_up.is_some()) || !deadline.next_look().await {
                break;
            }
        }
        let found = main.is_some() && pop_up.is_some();
        let handles = client.windows().await.map(|h| h.len()).unwrap_or(0);
        assert!(
            found,
            "expected the main window and the pop-up, WebDriver sees {handles} window(s)"
        );
        let session = AppSession {
            client,
            main: main.unwrap(),
            pop_up: pop_up.unwrap(),
        };
        session.switch_to(AppWindow::Main).await;
        session
    }

    /// Fill in the sign-in screen (the demo password) and wait for the agent bar.
    pub async fn sign_in(&self, node_a: &str, user: &str, extension: &str) {
        self.find("sign-in").await;
        self.fill("sign-in-node-a", node_a).await;
        self.fill("sign-in-user", user).await;
        self.fill("sign-in-password", DEMO_PASSWORD).await;
        self.fill("sign-in-extension", extension).await;
        self.click("sign-in-submit").await;
        self.find("agent-bar").await;
    }

    /// The WebDriver client, for anything the helpers below do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Talk to `window` from now on.
    pub async fn switch_to(&self, window: AppWindow) {
        let handle = match window {
            AppWindow::Main => self.main.clone(),
            AppWindow::PopUp => self.pop_up.clone(),
        };
        self.client.switch_to_window(handle).await.unwrap();
    }

    /// Save what the current window shows as `target/e2e-screens/FAILED-….png`, then panic
    /// with `message`.
    async fn fail(&self, message: String) -> ! {
        if self.page_visible().await {
            let name: String = message
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .take(60)
                .collect();
            if let Ok(png) = self.client.screenshot().await {
                let dir = screens_dir();
                let _ = std::fs::create_dir_all(&dir);
                let _ = std::fs::write(dir.join(format!("FAILED-{name}.png")), png);
            }
        }
        panic!("{message}");
    }

    /// Wait for the element with this `data-testid` to be on the page.
    pub async fn find(&self, testid: &str) -> Element {
        match self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(&by_testid(testid)))
            .await
        {
            Ok(element) => element,
            Err(e) => {
                self.fail(format!("[data-testid={testid}] never appeared: {e}"))
                    .await
            }
        }
    }

    /// The element with this `data-testid` if it is on the page right now.
    pub async fn try_find(&self, testid: &str) -> Option<Element> {
        self.client
            .find(Locator::Css(&by_testid(testid)))
            .await
            .ok()
    }

    /// Wait for a CSS selector (for elements inside a test id'd container).
    pub async fn find_css(&self, css: &str) -> Element {
        match self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(element) => element,
            Err(e) => self.fail(format!("{css} never appeared: {e}")).await,
        }
    }

    /// Wait until the element is gone from the page.
    pub async fn wait_gone(&self, testid: &str) {
        let gone =
            wait_until_async(PATIENCE, || async { self.try_find(testid).await.is_none() }).await;
        if !gone {
            self.fail(format!("[data-testid={testid}] did not go away"))
                .await;
        }
    }

    /// Click the element once it is there and enabled.
    pub async fn click(&self, testid: &str) {
        let element = self.find(testid).await;
        let enabled = wait_until_async(PATIENCE, || async {
            element.is_enabled().await.unwrap_or(false)
        })
        .await;
        assert!(enabled, "[data-testid={testid}] stayed disabled");
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("could not click [data-testid={testid}]: {e}"));
    }

    /// Replace the text of an input the way a person does: select all, delete, type. (The
    /// WebDriver "clear" command empties the field without the `input` event the UI's
    /// bindings listen to.)
    pub async fn fill(&self, testid: &str, text: &str) {
        let element = self.find(testid).await;
        // Ctrl+A, release the modifiers, Backspace.
        element
            .send_keys("\u{E009}a\u{E000}\u{E003}")
            .await
            .unwrap();
        if !text.is_empty() {
            element.send_keys(text).await.unwrap();
        }
        let value = self.value(testid).await;
        assert_eq!(
            value, text,
            "[data-testid={testid}] holds {value:?} after typing"
        );
    }

    /// An input's current value.
    pub async fn value(&self, testid: &str) -> String {
        self.find(testid)
            .await
            .prop("value")
            .await
            .unwrap()
            .unwrap_or_default()
    }

    /// Wait until an input's value is `expected`.
    pub async fn wait_for_value(&self, testid: &str, expected: &str) {
        let deadline = Deadline::after(PATIENCE);
        let mut last;
        loop {
            last = self.value(testid).await;
            if last == expected {
                return;
            }
            if !deadline.next_look().await {
                self.fail(format!(
                    "[data-testid={testid}] never held {expected:?}; last: {last:?}"
                ))
                .await;
            }
        }
    }

    /// The text of an element (its `textContent`, whitespace collapsed). WebDriver's own
    /// element text is the *rendered* text, which WebKit reports empty for a window that
    /// has only just been shown.
    pub async fn text(&self, testid: &str) -> String {
        let element = self.find(testid).await;
        self.text_of(&element).await
    }

    async fn text_of(&self, element: &Element) -> String {
        let value = self
            .client
            .execute(
                "return arguments[0].textContent",
                vec![serde_json::to_value(element).unwrap()],
            )
            .await
            .unwrap_or(Value::Null);
        value
            .as_str()
            .unwrap_or_default()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Wait until the element's text contains `expected`; returns the text.
    pub async fn wait_for_text(&self, testid: &str, expected: &str) -> String {
        let deadline = Deadline::after(PATIENCE);
        let mut last;
        let seen = loop {
            last = match self.try_find(testid).await {
                Some(element) => self.text_of(&element).await,
                None => String::new(),
            };
            if last.contains(expected) {
                break true;
            }
            if !deadline.next_look().await {
                break false;
            }
        };
        if !seen {
            self.fail(format!(
                "[data-testid={testid}] never said {expected:?}; last: {last:?}"
            ))
            .await;
        }
        last
    }

    /// Wait until one of the elements is on the page with some text; returns that text.
    pub async fn wait_for_text_in_any(&self, testids: &[&str]) -> String {
        let deadline = Deadline::after(PATIENCE);
        loop {
            for testid in testids {
                if let Some(element) = self.try_find(testid).await {
                    let text = self.text_of(&element).await;
                    if !text.is_empty() {
                        return text;
                    }
                }
            }
            assert!(
                deadline.next_look().await,
                "none of {testids:?} appeared with a message"
            );
        }
    }

    /// Run a script in the current window and return its result.
    pub async fn eval(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap()
    }

    /// Save a screenshot of the current window as `target/e2e-screens/<name>.png`.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        // WebKit never answers a screenshot of a hidden webview (and the session is stuck).
        assert!(
            self.page_visible().await,
            "cannot screenshot {name}: the window is hidden"
        );
        // WebKit may hand back the last painted frame; let two frames render first.
        let painted = "const done = arguments[arguments.length - 1]; \
                       requestAnimationFrame(() => requestAnimationFrame(() => done(true)));";
        self.client.execute_async(painted, vec![]).await.unwrap();
        let png = self.client.screenshot().await.unwrap();
        let dir = screens_dir();
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap();
        path
    }

    /// End the session and make sure the app is gone: closing a tray app's windows does
    /// not end it, so whatever still runs under the driver is stopped (SIGTERM).
    pub async fn quit(self, driver: &Driver) {
        let _ = self.client.close().await;
        for pid in driver.app_pids() {
            let _ = std::process::Command::new("kill")
                .arg(pid.to_string())
                .status();
            let gone = wait_until(PATIENCE, || process_gone(pid));
            assert!(gone, "the app (pid {pid}) did not stop");
        }
    }

    /// Whether the current window's page is visible (its native window is shown): WebKit
    /// reports `hidden` for a webview whose window is hidden.
    pub async fn page_visible(&self) -> bool {
        self.eval("return document.visibilityState").await.as_str() == Some("visible")
    }

    /// Wait until the current window is shown (`true`) or hidden (`false`).
    pub async fn wait_page_visible(&self, visible: bool) {
        let reached =
            wait_until_async(PATIENCE, || async { self.page_visible().await == visible }).await;
        assert!(
            reached,
            "the window never became {}",
            if visible { "visible" } else { "hidden" }
        );
    }

    /// CSS for one call card.
    pub fn card(call_id: impl std::fmt::Display) -> String {
        format!("[data-testid=\"call-card\"][data-call-id=\"{call_id}\"]")
    }

    /// Wait until a call card shows `state` (`ringing`, `active`, `held` …).
    pub async fn wait_card_state(&self, call_id: impl std::fmt::Display, state: &str) {
        let css = format!("{}[data-state=\"{state}\"]", Self::card(&call_id));
        self.find_css(&css).await;
    }

    /// Click a call action on one card: a primary button, or via the card's "More" menu.
    pub async fn call_action(&self, call_id: impl std::fmt::Display, action: &str) {
        let card = Self::card(&call_id);
        let button = format!("{card} [data-testid=\"call-action-{action}\"]");
        if self.client.find(Locator::Css(&button)).await.is_err() {
            let more = self
                .find_css(&format!("{card} [data-testid=\"call-more\"]"))
                .await;
            more.click().await.unwrap();
        }
        let element = self.find_css(&button).await;
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("could not click {action} on call {call_id}: {e}"));
    }

    /// The ids of the call cards on screen, in order.
    pub async fn card_ids(&self) -> Vec<String> {
        let mut ids = Vec::new();
        for card in self
            .client
            .find_all(Locator::Css(&by_testid("call-card")))
            .await
            .unwrap_or_default()
        {
            if let Ok(Some(id)) = card.attr("data-call-id").await {
                ids.push(id);
            }
        }
        ids
    }

    /// Click an element found by CSS.
    pub async fn click_css(&self, css: &str) {
        let element = self.find_css(css).await;
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("could not click {css}: {e}"));
    }

    /// An attribute of the element with this test id.
    pub async fn attr(&self, testid: &str, name: &str) -> Option<String> {
        self.find(testid).await.attr(name).await.unwrap()
    }

    /// Wait until the element's attribute has `value`.
    pub async fn wait_attr(&self, testid: &str, name: &str, value: &str) {
        let css = format!("{}[{name}=\"{value}\"]", by_testid(testid));
        self.find_css(&css).await;
    }

    /// Wait until the element found by CSS is on the page with a text (`textContent`,
    /// whitespace collapsed) that `wanted` accepts; returns that text. `what` names the
    /// expectation in the failure.
    pub async fn wait_for_text_css_where(
        &self,
        css: &str,
        what: &str,
        wanted: impl Fn(&str) -> bool,
    ) -> String {
        let deadline = Deadline::after(PATIENCE);
        let mut last = None;
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                let text = self.text_of(&element).await;
                if wanted(&text) {
                    return text;
                }
                last = Some(text);
            }
            if !deadline.next_look().await {
                self.fail(format!("{css} never said {what}; last: {last:?}"))
                    .await;
            }
        }
    }

    /// Wait until the element found by CSS has a text containing `expected`; returns it.
    pub async fn wait_for_text_css(&self, css: &str, expected: &str) -> String {
        self.wait_for_text_css_where(css, &format!("{expected:?}"), |text| {
            text.contains(expected)
        })
        .await
    }

    /// How many elements match a CSS selector right now.
    pub async fn count_css(&self, css: &str) -> usize {
        self.client
            .find_all(Locator::Css(css))
            .await
            .map(|found| found.len())
            .unwrap_or(0)
    }

    /// Wait until exactly `count` elements match a CSS selector.
    pub async fn wait_count_css(&self, css: &str, count: usize) {
        let reached =
            wait_until_async(PATIENCE, || async { self.count_css(css).await == count }).await;
        if !reached {
            let seen = self.count_css(css).await;
            self.fail(format!("{css} matched {seen}, never {count}"))
                .await;
        }
    }

    /// Wait until nothing matches a CSS selector.
    pub async fn wait_gone_css(&self, css: &str) {
        self.wait_count_css(css, 0).await;
    }
}
