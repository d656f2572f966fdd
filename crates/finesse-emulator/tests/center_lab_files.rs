//! The example lab and scenario files under `labs/` stay loadable and in step with the code.
#![allow(clippy::unwrap_used)]
use std::path::PathBuf;

use finesse_emulator::config::{Flavour, LabConfig};
use finesse_emulator::net::Scenario;

fn labs() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("labs")
}

#[test]
fn demo_json_is_the_built_in_demo_lab() {
    let file = LabConfig::load(&labs().join("demo.json")).unwrap();
    assert_eq!(
        file,
        LabConfig::demo(),
        "regenerate labs/demo.json from LabConfig::demo()"
    );
}

#[test]
fn every_example_lab_is_valid() {
    let mut seen = 0;
    for entry in std::fs::read_dir(labs()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            LabConfig::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            seen += 1;
        }
    }
    assert!(seen >= 2);
    let uccx = LabConfig::load(&labs().join("uccx-small.json")).unwrap();
    assert_eq!(uccx.flavour, Flavour::Uccx);
}

#[test]
fn every_example_scenario_loads() {
    let mut seen = 0;
    for entry in std::fs::read_dir(labs().join("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        Scenario::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        seen += 1;
    }
    assert!(seen >= 2);
}
