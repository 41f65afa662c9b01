//! Security Center's products through the WMI thread; Defender's status where Security Center
//! is missing (Windows Server, Wine); Defender's registry as the last resort.

use std::time::Duration;

use winreg::enums::{HKEY_LOCAL_MACHINE, KEY_READ, KEY_WOW64_64KEY};
use winreg::RegKey;

use super::{
    decode_product_state, Antivirus, AvSource, ProductKind, ProductState, SecurityProduct,
};
use crate::probe::{Gathered, ProbeProblem};
use crate::wmi_thread::{self, WmiError};

const SECURITY_CENTER: &str = r"root\SecurityCenter2";
const DEFENDER: &str = r"root\Microsoft\Windows\Defender";
/// Each WMI request's limit: MSFT_MpComputerStatus can hang when another antivirus is active.
const WMI_LIMIT: Duration = Duration::from_secs(3);

pub fn gather() -> Gathered<Antivirus> {
    let mut problems = Vec::new();
    let mut products = Vec::new();
    let classes = [
        ("AntiVirusProduct", ProductKind::Antivirus),
        ("AntiSpywareProduct", ProductKind::Antispyware),
        ("FirewallProduct", ProductKind::Firewall),
    ];
    let mut security_center = true;
    for (class, kind) in classes {
        let q = format!("SELECT displayName, productState FROM {class}");
        match wmi_thread::query(SECURITY_CENTER, &q, WMI_LIMIT) {
            Ok(rows) => {
                for row in rows {
                    let Some(name) = row
                        .get("displayName")
                        .and_then(|v| v.text())
                        .map(str::to_owned)
                    else {
                        continue;
                    };
                    let raw = row
                        .get("productState")
                        .and_then(|v| v.u64())
                        .and_then(|v| u32::try_from(v).ok());
                    let decoded = raw.map(decode_product_state);
                    products.push(SecurityProduct {
                        name,
                        kind,
                        state: decoded.and_then(|d| d.state),
                        up_to_date: decoded.map(|d| d.up_to_date),
                        signature_age_days: None,
                        microsoft: decoded.map(|d| d.microsoft),
                        version: None,
                        installed: None,
                        product_state: raw,
                    });
                }
            }
            Err(WmiError::Missing(_)) => {
                security_center = false;
                break;
            }
            Err(e) => problems.push(e.to_problem(SECURITY_CENTER)),
        }
    }
    if security_center {
        return (
            Some(Antivirus {
                source: AvSource::SecurityCenter,
                products,
            }),
            problems,
        );
    }
    problems.push(ProbeProblem::Missing {
        what: format!("{SECURITY_CENTER} (Windows Server or no Security Center): Defender's status used instead"),
    });
    products.extend(defender(&mut problems));
    (
        Some(Antivirus {
            source: AvSource::Defender,
            products,
        }),
        problems,
    )
}

fn defender(problems: &mut Vec<ProbeProblem>) -> Option<SecurityProduct> {
    let q = "SELECT AMProductVersion, AntivirusEnabled, RealTimeProtectionEnabled, AntivirusSignatureAge, DefenderSignaturesOutOfDate FROM MSFT_MpComputerStatus";
    match wmi_thread::query(DEFENDER, q, WMI_LIMIT) {
        Ok(rows) => {
            let row = rows.into_iter().next()?;
            let enabled = row.get("AntivirusEnabled").and_then(|v| v.bool());
            let realtime = row.get("RealTimeProtectionEnabled").and_then(|v| v.bool());
            let age = row
                .get("AntivirusSignatureAge")
                .and_then(|v| v.u64())
                .and_then(|v| u32::try_from(v).ok());
            let out_of_date = row
                .get("DefenderSignaturesOutOfDate")
                .and_then(|v| v.bool());
            Some(SecurityProduct {
                name: "Microsoft Defender Antivirus".into(),
                kind: ProductKind::Antivirus,
                state: match (enabled, realtime) {
                    (Some(true), Some(false)) => Some(ProductState::Snoozed),
                    (Some(true), _) => Some(ProductState::On),
                    (Some(false), _) => Some(ProductState::Off),
                    (None, _) => None,
                },
                up_to_date: out_of_date.map(|o| !o),
                signature_age_days: age,
                microsoft: Some(true),
                version: row
                    .get("AMProductVersion")
                    .and_then(|v| v.text())
                    .map(str::to_owned),
                installed: None,
                product_state: None,
            })
        }
        Err(e) => {
            problems.push(e.to_problem(DEFENDER));
            defender_registry(problems)
        }
    }
}

/// Defender's signature version from the registry, when WMI says nothing.
fn defender_registry(problems: &mut Vec<ProbeProblem>) -> Option<SecurityProduct> {
    const KEY: &str = r"SOFTWARE\Microsoft\Windows Defender\Signature Updates";
    match RegKey::predef(HKEY_LOCAL_MACHINE).open_subkey_with_flags(KEY, KEY_READ | KEY_WOW64_64KEY)
    {
        Ok(key) => Some(SecurityProduct {
            name: "Microsoft Defender Antivirus".into(),
            kind: ProductKind::Antivirus,
            state: None,
            up_to_date: None,
            signature_age_days: None,
            microsoft: Some(true),
            version: key.get_value::<String, _>("AVSignatureVersion").ok(),
            installed: None,
            product_state: None,
        }),
        Err(_) => {
            problems.push(ProbeProblem::Missing {
                what: format!(r"HKLM\{KEY}: no Defender"),
            });
            None
        }
    }
}
