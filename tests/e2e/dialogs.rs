//! Native windows that WebDriver cannot see (the GTK quit question), handled on the test's
//! X display the way a person does: find the window by its title, give it the keyboard,
//! press keys (XTEST), and take a picture of the screen.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use x11rb::connection::Connection as _;
use x11rb::protocol::xproto::{
    AtomEnum, ConnectionExt as _, ImageFormat, InputFocus, MapState, Window,
};
use x11rb::protocol::xtest::ConnectionExt as _;
use x11rb::rust_connection::RustConnection;
use x11rb::wrapper::ConnectionExt as _;

use super::desktop::Desktop;
use super::driver::PATIENCE;
use super::prerequisites::screens_dir;
use super::wait::wait_until;

/// X keysyms of the keys the tests press.
pub mod keys {
    pub const RETURN: u32 = 0xff0d;
    pub const ESCAPE: u32 = 0xff1b;
}

const KEY_PRESS: u8 = 2;
const KEY_RELEASE: u8 = 3;

/// A connection to the desktop's X server.
pub struct Display {
    connection: RustConnection,
    root: Window,
    size: (u16, u16),
}

impl Display {
    /// Connect to `desktop`'s Xvfb.
    pub fn open(desktop: &Desktop) -> Display {
        let name = desktop
            .env()
            .get("DISPLAY")
            .expect("the desktop has a display")
            .clone();
        let (connection, screen) = x11rb::connect(Some(&name))
            .unwrap_or_else(|e| panic!("cannot open X display {name}: {e}"));
        let (root, size) = {
            let screen = &connection.setup().roots[screen];
            (
                screen.root,
                (screen.width_in_pixels, screen.height_in_pixels),
            )
        };
        Display {
            connection,
            root,
            size,
        }
    }

    fn title(&self, window: Window) -> String {
        let utf8 = self
            .connection
            .intern_atom(false, b"_NET_WM_NAME")
            .ok()
            .and_then(|cookie| cookie.reply().ok())
            .map(|reply| reply.atom);
        for property in utf8.into_iter().chain([AtomEnum::WM_NAME.into()]) {
            let value = self
                .connection
                .get_property(false, window, property, AtomEnum::ANY, 0, 1024)
                .ok()
                .and_then(|cookie| cookie.reply().ok());
            if let Some(value) = value.filter(|v| !v.value.is_empty()) {
                return String::from_utf8_lossy(&value.value).into_owned();
            }
        }
        String::new()
    }

    /// The mapped top-level window titled exactly `title`, if there is one. (Xvfb runs no
    /// window manager, so top-level windows are the root's children.)
    pub fn mapped_window(&self, title: &str) -> Option<Window> {
        let tree = self.connection.query_tree(self.root).ok()?.reply().ok()?;
        tree.children.into_iter().find(|&window| {
            let mapped = self
                .connection
                .get_window_attributes(window)
                .ok()
                .and_then(|cookie| cookie.reply().ok())
                .is_some_and(|attributes| attributes.map_state == MapState::VIEWABLE);
            mapped && self.title(window) == title
        })
    }

    /// Wait until a top-level window titled `title` is mapped; returns it.
    pub fn wait_for_window(&self, title: &str) -> Window {
        let mut window = None;
        let shown = wait_until(PATIENCE, || {
            window = self.mapped_window(title);
            window.is_some()
        });
        assert!(shown, "no window titled {title:?} came up");
        window.unwrap()
    }

    fn keycode(&self, keysym: u32) -> u8 {
        let setup = self.connection.setup();
        let (first, last) = (setup.min_keycode, setup.max_keycode);
        let mapping = self
            .connection
            .get_keyboard_mapping(first, last - first + 1)
            .unwrap()
            .reply()
            .unwrap();
        let per_code = usize::from(mapping.keysyms_per_keycode).max(1);
        let index = mapping
            .keysyms
            .chunks(per_code)
            .position(|syms| syms.contains(&keysym))
            .unwrap_or_else(|| panic!("no key on the test keyboard makes keysym {keysym:#x}"));
        first + u8::try_from(index).unwrap()
    }

    /// Give `window` the keyboard focus and press `keysyms` one after the other, as a
    /// person at the keyboard would (the X server's test extension, not synthetic events
    /// that toolkits may ignore).
    pub fn type_keys(&self, window: Window, keysyms: &[u32]) {
        self.connection
            .set_input_focus(InputFocus::PARENT, window, x11rb::CURRENT_TIME)
            .unwrap()
            .check()
            .unwrap();
        for &keysym in keysyms {
            let code = self.keycode(keysym);
            for event in [KEY_PRESS, KEY_RELEASE] {
                self.connection
                    .xtest_fake_input(event, code, x11rb::CURRENT_TIME, self.root, 0, 0, 0)
                    .unwrap();
            }
        }
        self.connection.sync().unwrap();
    }

    /// Save the whole screen as `target/e2e-screens/<name>.png` (for windows outside the
    /// webview, which WebDriver cannot photograph).
    pub fn screenshot(&self, name: &str) -> PathBuf {
        let (width, height) = self.size;
        let image = self
            .connection
            .get_image(ImageFormat::Z_PIXMAP, self.root, 0, 0, width, height, !0)
            .unwrap()
            .reply()
            .unwrap();
        // 24-bit depth comes as 32 bits a pixel, blue first.
        let rgb: Vec<u8> = image
            .data
            .chunks_exact(4)
            .flat_map(|p| [p[2], p[1], p[0]])
            .collect();
        let dir = screens_dir();
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("{name}.png"));
        let file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        let mut encoder = png::Encoder::new(file, u32::from(width), u32::from(height));
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder
            .write_header()
            .unwrap()
            .write_image_data(&rgb)
            .unwrap();
        path
    }
}
