//! The profile in effect, resolved once for the window and the command line, and the view of it
//! the UI gets (without the installer's secrets).

use std::path::{Path, PathBuf};

use chamado_profile::{
    Branding, BundleLimits, Check, Module, Profile, ProfileError, ProfileSource, Program, Topic,
    Vendor,
};
use serde::Serialize;
use ts_rs::TS;

/// The profile in effect: `--profile FILE`, else `profile.toml` beside the executable, else the
/// built-in one. A broken file is reported, never skipped for the next source.
pub fn resolve(explicit: Option<&Path>) -> (ProfileSource, Result<Profile, ProfileError>) {
    chamado_profile::resolve(explicit, exe_dir().as_deref())
}

/// The folder of the running executable, where the installer puts `profile.toml` and the logo.
pub fn exe_dir() -> Option<PathBuf> {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
}

/// The vendor's chamado-central, as the profile names it (trimmed); `None` without one.
pub fn central_url(profile: &Profile) -> Option<&str> {
    Some(profile.central.url.trim()).filter(|u| !u.is_empty())
}

/// The enrolment code the installer wrote into the profile, and the central it is for.
#[derive(Debug, Clone)]
pub struct InstallerCode {
    pub central: String,
    pub code: String,
}

impl InstallerCode {
    /// The profile's code, when it has one and the central's address.
    pub fn of(profile: &Profile) -> Option<InstallerCode> {
        let code = profile.central.enrolment_code.as_deref()?.trim();
        let central = central_url(profile)?;
        (!code.is_empty()).then(|| InstallerCode {
            central: central.to_owned(),
            code: code.to_owned(),
        })
    }
}

/// The profile as the UI sees it: everything but the installer's enrolment code.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ProfileView {
    pub vendor: Vendor,
    pub branding: Branding,
    pub central: CentralView,
    pub topics: Vec<Topic>,
    pub modules: Vec<Module>,
    pub checks: Vec<Check>,
    pub program: Option<Program>,
    pub bundle: BundleLimits,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct CentralView {
    pub url: String,
}

impl From<&Profile> for ProfileView {
    fn from(p: &Profile) -> ProfileView {
        ProfileView {
            vendor: p.vendor.clone(),
            branding: p.branding.clone(),
            central: CentralView {
                url: central_url(p).unwrap_or_default().to_owned(),
            },
            topics: p.topics.clone(),
            modules: p.modules.clone(),
            checks: p.checks.clone(),
            program: p.program.clone(),
            bundle: p.bundle,
        }
    }
}

/// What the UI needs to draw its first screen: the profile, or why it cannot be used.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Startup {
    Ready {
        profile: Box<ProfileView>,
        source: ProfileSource,
        /// The vendor's logo as a `data:` URL (the UI loads nothing from outside the app).
        logo: Option<String>,
    },
    Broken {
        source: ProfileSource,
        error: ProfileError,
    },
}

impl Startup {
    pub fn of(source: ProfileSource, result: &Result<Profile, ProfileError>) -> Startup {
        match result {
            Ok(profile) => Startup::Ready {
                logo: logo_data_url(&source, profile),
                profile: Box::new(ProfileView::from(profile)),
                source,
            },
            Err(error) => Startup::Broken {
                source,
                error: error.clone(),
            },
        }
    }
}

fn logo_data_url(source: &ProfileSource, profile: &Profile) -> Option<String> {
    use base64::Engine;
    let file = source.base_dir()?.join(profile.branding.logo.as_ref()?);
    let mime = match file.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        _ => return None,
    };
    match std::fs::read(&file) {
        Ok(bytes) => Some(format!(
            "data:{mime};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(bytes)
        )),
        Err(e) => {
            tracing::warn!(file = %file.display(), "logo unreadable: {e}");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ui_never_gets_the_installers_code() {
        let mut p = chamado_profile::builtin();
        p.central.url = " https://central.example.com.br ".into();
        p.central.enrolment_code = Some("AAAAA-BBBBB".into());
        let json =
            serde_json::to_string(&Startup::of(ProfileSource::BuiltIn, &Ok(p.clone()))).unwrap();
        assert!(!json.contains("AAAAA"), "{json}");
        assert!(json.contains(r#""central":{"url":"https://central.example.com.br"}"#));
        let code = InstallerCode::of(&p).unwrap();
        assert_eq!(
            (code.central.as_str(), code.code.as_str()),
            ("https://central.example.com.br", "AAAAA-BBBBB")
        );
    }
}
