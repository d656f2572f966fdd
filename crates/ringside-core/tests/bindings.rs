//! The TypeScript the UI imports (`ui/src/lib/generated/`) is generated from the Rust types;
//! this test fails when the checked-in files no longer match them.
//!
//! Regenerate with `RINGSIDE_UPDATE_BINDINGS=1 cargo test -p ringside-core --test bindings`.
//!
//! A type added to the UI contract must be reachable from one of the roots listed in
//! [`render_all`] (a field of a listed type is enough: dependencies are followed).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::any::TypeId;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use ringside_core::desk::*;
use ringside_core::team::{TeamActionRequest, TeamDiff};
use ts_rs::{Config, TypeVisitor, TS};

const UPDATE_VAR: &str = "RINGSIDE_UPDATE_BINDINGS";
const HOW_TO_UPDATE: &str =
    "regenerate with: RINGSIDE_UPDATE_BINDINGS=1 cargo test -p ringside-core --test bindings";

fn generated_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/generated")
}

/// Renders a type and, recursively, every exportable type it mentions.
struct Renderer<'a> {
    cfg: &'a Config,
    seen: HashSet<TypeId>,
    /// File name (`DeskView.ts`) → contents.
    files: BTreeMap<String, String>,
    /// TypeScript name → file stem, for `index.ts`.
    names: BTreeMap<String, String>,
}

impl Renderer<'_> {
    fn render<T: TS + 'static + ?Sized>(&mut self) {
        let Some(path) = T::output_path() else {
            return;
        };
        if !self.seen.insert(TypeId::of::<T>()) {
            return;
        }
        let file = path
            .file_name()
            .and_then(|f| f.to_str())
            .expect("ts-rs output paths end in a file name")
            .to_owned();
        assert_eq!(
            path.parent().map(|p| p.as_os_str().is_empty()),
            Some(true),
            "{file}: every generated type must live directly in ui/src/lib/generated (no export_to sub-folders)"
        );
        let text = T::export_to_string(self.cfg).expect("type renders to TypeScript");
        let stem = file.trim_end_matches(".ts").to_owned();
        self.names.insert(T::ident(self.cfg), stem);
        if let Some(previous) = self.files.insert(file.clone(), text) {
            panic!("two Rust types both render to {file} (first was {previous:?})");
        }
        T::visit_dependencies(self);
    }
}

impl TypeVisitor for Renderer<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        self.render::<T>();
    }
}

/// Every generated file, `index.ts` included.
fn render_all() -> BTreeMap<String, String> {
    let cfg = Config::new().with_out_dir(generated_dir());
    let mut renderer = Renderer {
        cfg: &cfg,
        seen: HashSet::new(),
        files: BTreeMap::new(),
        names: BTreeMap::new(),
    };
    // The view (events `desk`, `pop-up`) …
    renderer.render::<DeskView>();
    renderer.render::<IncomingCallView>();
    renderer.render::<UiError>();
    // … and what the commands take and return.
    renderer.render::<SignInForm>();
    renderer.render::<SignInDefaults>();
    renderer.render::<StateRequest>();
    renderer.render::<CallActionRequest>();
    renderer.render::<WrapUpRequest>();
    renderer.render::<Lookups>();
    renderer.render::<ContactView>();
    renderer.render::<SettingsView>();
    // The supervisor's Team tab (event `team`, commands in `ringside_core::team`).
    renderer.render::<TeamDiff>();
    renderer.render::<TeamActionRequest>();

    let mut index = String::from(
        "// Generated from the Rust types by crates/ringside-core/tests/bindings.rs. Do not edit.\n",
    );
    for (name, stem) in &renderer.names {
        index.push_str(&format!("export type {{ {name} }} from \"./{stem}\";\n"));
    }
    let mut files = renderer.files;
    files.insert("index.ts".to_owned(), index);
    files
}

fn checked_in() -> BTreeMap<String, String> {
    let Ok(entries) = std::fs::read_dir(generated_dir()) else {
        return BTreeMap::new();
    };
    entries
        .map(|entry| entry.expect("readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "ts"))
        .map(|path| {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).expect("readable binding file");
            (name, text)
        })
        .collect()
}

fn write_all(files: &BTreeMap<String, String>) {
    let dir = generated_dir();
    std::fs::create_dir_all(&dir).expect("create ui/src/lib/generated");
    for stale in checked_in()
        .keys()
        .filter(|name| !files.contains_key(*name))
    {
        std::fs::remove_file(dir.join(stale)).expect("remove a stale binding");
    }
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("write a binding");
    }
}

#[test]
fn typescript_bindings_match_rust_types() {
    let expected = render_all();
    if std::env::var_os(UPDATE_VAR).is_some_and(|v| v != "0" && !v.is_empty()) {
        write_all(&expected);
    }
    let actual = checked_in();

    let missing: Vec<&String> = expected
        .keys()
        .filter(|k| !actual.contains_key(*k))
        .collect();
    let stale: Vec<&String> = actual
        .keys()
        .filter(|k| !expected.contains_key(*k))
        .collect();
    let differing: Vec<&String> = expected
        .iter()
        .filter(|(name, text)| actual.get(*name).is_some_and(|have| have != *text))
        .map(|(name, _)| name)
        .collect();
    assert!(
        missing.is_empty() && stale.is_empty() && differing.is_empty(),
        "ui/src/lib/generated is out of date with the Rust types.\n  missing: {missing:?}\n  \
         no longer generated: {stale:?}\n  different: {differing:?}\n{HOW_TO_UPDATE}"
    );
}

#[test]
fn every_binding_is_re_exported_from_the_index() {
    let files = render_all();
    let index = &files["index.ts"];
    for name in files.keys().filter(|name| *name != "index.ts") {
        let stem = name.trim_end_matches(".ts");
        assert!(
            index.contains(&format!("from \"./{stem}\";")),
            "index.ts does not re-export {stem}"
        );
    }
}

#[test]
fn wire_numbers_are_typescript_numbers_not_bigints() {
    // serde_json writes i64/u64 as plain JSON numbers; a `bigint` in the bindings would lie.
    for (name, text) in render_all() {
        assert!(
            !text.contains("bigint"),
            "{name} declares a bigint; annotate the field with #[ts(type = \"number\")]"
        );
    }
}
