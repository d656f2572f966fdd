include!("src/command_names.rs");

fn main() {
    // Declaring the commands makes each one a permission (`allow-sign-in`, …) that the
    // capability files grant per window: the pop-up gets only what it uses.
    let manifest = tauri_build::AppManifest::new().commands(COMMAND_NAMES);
    if let Err(error) =
        tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
    {
        // A build script reports failure by panicking; the message is what cargo shows.
        panic!("tauri build step failed: {error:#}");
    }
}
