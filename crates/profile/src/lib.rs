//! The vendor profile: the one file (TOML) in which a vendor describes its support — help topics,
//! their fields, guides and checklists, modules, the checks to run, branding and the central
//! service's address. Shipped with the app; validated with every problem's line, column and field
//! path, in pt-BR or English.
//!
//! This crate knows nothing of Tauri or of the UI; the UI reads its types through TypeScript
//! generated from them (ts-rs), vendors' editors through the JSON Schema (`schema_json`).

mod model;
mod parse;
mod problem;
mod validate;

use std::path::{Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;

pub use model::*;
pub use parse::parse;
pub use problem::{FieldPath, Problem, ProblemKind, ProfileError, Seg};

/// The built-in profile, written from the vendor's support page. `chamado profile default` prints it.
pub const DEFAULT_TOML: &str = include_str!("../default-profile.toml");

/// The name of a profile installed beside the executable (by the installer).
pub const INSTALLED_NAME: &str = "profile.toml";

/// What `file` says in problems of the built-in profile.
pub const BUILT_IN_NAME: &str = "(built-in)";

/// The built-in profile. Valid by construction: a test parses it.
pub fn builtin() -> Profile {
    parse(DEFAULT_TOML, BUILT_IN_NAME, None).expect("the built-in profile is valid")
}

/// Reads and validates a profile file; relative paths in it are relative to its folder.
pub fn load(path: &Path) -> Result<Profile, ProfileError> {
    let file = path.display().to_string();
    let src = std::fs::read_to_string(path).map_err(|e| ProfileError {
        file: file.clone(),
        problems: vec![Problem::new(
            None,
            None,
            String::new(),
            ProblemKind::Unreadable {
                reason: e.to_string(),
            },
        )],
    })?;
    parse(&src, &file, path.parent())
}

/// Where the profile in use came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", content = "path", rename_all = "snake_case")]
pub enum ProfileSource {
    /// Named on the command line (`--profile FILE`).
    Argument(String),
    /// Installed beside the executable.
    Installed(String),
    BuiltIn,
}

impl ProfileSource {
    /// The folder relative paths in the profile (the logo) are read from.
    pub fn base_dir(&self) -> Option<PathBuf> {
        match self {
            ProfileSource::Argument(p) | ProfileSource::Installed(p) => {
                Path::new(p).parent().map(Path::to_path_buf)
            }
            ProfileSource::BuiltIn => None,
        }
    }
}

/// Finds the profile in order: `explicit` (from `--profile`), `profile.toml` in `exe_dir`, the
/// built-in one; and loads it. A file that exists but is broken is reported, never skipped for
/// the next one: a vendor's broken profile must not silently become the default.
pub fn resolve(
    explicit: Option<&Path>,
    exe_dir: Option<&Path>,
) -> (ProfileSource, Result<Profile, ProfileError>) {
    if let Some(path) = explicit {
        return (
            ProfileSource::Argument(path.display().to_string()),
            load(path),
        );
    }
    if let Some(installed) = exe_dir.map(|d| d.join(INSTALLED_NAME)) {
        if installed.exists() {
            return (
                ProfileSource::Installed(installed.display().to_string()),
                load(&installed),
            );
        }
    }
    (ProfileSource::BuiltIn, Ok(builtin()))
}

/// The JSON Schema of the profile, for vendors' editors (e.g. Taplo's `#:schema`).
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(Profile);
    let mut out = serde_json::to_string_pretty(&schema).expect("a schema serializes");
    out.push('\n');
    out
}
