//! Files generated from the Rust types stay in step with them: the UI's TypeScript types and the
//! profile's JSON Schema. `UPDATE_GENERATED=1 cargo test -p chamado --test generated` rewrites them.

use std::path::Path;

fn check(relative: &str, expected: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        std::fs::write(&path, expected).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == expected,
        "{relative} is stale: run `UPDATE_GENERATED=1 cargo test -p chamado --test generated` and commit it"
    );
}

#[test]
fn ui_bindings_are_current() {
    check("ui/src/lib/bindings.ts", &chamado_gui::ts_bindings());
}

#[test]
fn profile_schema_is_current() {
    check(
        "crates/profile/profile.schema.json",
        &chamado_profile::schema_json(),
    );
}
