//! Tray icons compared by what they show: the picture an item offers (a PNG file named by
//! `IconName`, or `IconPixmap` data) against the app's own `icons/tray-*.png`.
use std::path::{Path, PathBuf};

/// The app's own picture for a tray state: `icons/tray-<stem>.png` in the repository.
pub fn app_tray_icon(stem: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../icons")
        .join(format!("tray-{stem}.png"))
}

/// A decoded picture, 8-bit RGBA, to compare icons by what they show (the app re-encodes
/// its PNGs when it hands them to the tray).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pixels {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

impl Pixels {
    /// Decode a PNG file; `None` if it is missing or not a PNG this understands.
    pub fn read(path: &Path) -> Option<Pixels> {
        let bytes = std::fs::read(path).ok()?;
        let mut decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        decoder.set_transformations(png::Transformations::normalize_to_color8());
        let mut reader = decoder.read_info().ok()?;
        let mut buffer = vec![0; reader.output_buffer_size()?];
        let frame = reader.next_frame(&mut buffer).ok()?;
        buffer.truncate(frame.buffer_size());
        let rgba = match frame.color_type {
            png::ColorType::Rgba => buffer,
            png::ColorType::Rgb => buffer
                .chunks_exact(3)
                .flat_map(|p| [p[0], p[1], p[2], 255])
                .collect(),
            png::ColorType::GrayscaleAlpha => buffer
                .chunks_exact(2)
                .flat_map(|p| [p[0], p[0], p[0], p[1]])
                .collect(),
            png::ColorType::Grayscale => buffer.iter().flat_map(|&g| [g, g, g, 255]).collect(),
            png::ColorType::Indexed => return None,
        };
        Some(Pixels {
            width: frame.width,
            height: frame.height,
            rgba,
        })
    }

    /// One `IconPixmap` picture: ARGB32 pixels in network byte order.
    pub fn from_argb(width: i32, height: i32, argb: &[u8]) -> Option<Pixels> {
        let width = u32::try_from(width).ok()?;
        let height = u32::try_from(height).ok()?;
        let expected = usize::try_from(u64::from(width) * u64::from(height) * 4).ok()?;
        (argb.len() == expected).then(|| Pixels {
            width,
            height,
            rgba: argb
                .chunks_exact(4)
                .flat_map(|p| [p[1], p[2], p[3], p[0]])
                .collect(),
        })
    }
}
