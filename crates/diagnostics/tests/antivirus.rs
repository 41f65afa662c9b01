//! The antivirus probe: Security Center's productState, enrichment, rules, the real probe.

use chamado_diagnostics::antivirus::{
    self, decode_product_state, Antivirus, AvSource, ProductKind, ProductState, SecurityProduct,
};
use chamado_diagnostics::probe::ProbeProblem;
use chamado_diagnostics::rules::{findings, Facts};
use chamado_diagnostics::software::{InstalledProgram, Software};

#[test]
fn product_state_as_the_reference_table_says() {
    use ProductState::*;
    let table = [
        (266240, Some(On), true, false),  // third-party, on, up to date
        (266256, Some(On), false, false), // third-party, on, out of date
        (262144, Some(Off), true, false), // third-party, off
        (397312, Some(On), true, false),  // third-party, on, up to date
        (397568, Some(On), true, true),   // Defender, on, up to date
        (393472, Some(Off), true, true),  // Defender, off (another antivirus installed)
    ];
    for (value, state, up_to_date, microsoft) in table {
        let d = decode_product_state(value);
        assert_eq!(
            (d.state, d.up_to_date, d.microsoft),
            (state, up_to_date, microsoft),
            "{value} ({value:#x})"
        );
    }
    assert_eq!(decode_product_state(0x2000).state, Some(Snoozed));
    assert_eq!(decode_product_state(0x3000).state, Some(Expired));
}

fn product(name: &str, state: Option<ProductState>, up_to_date: Option<bool>) -> SecurityProduct {
    SecurityProduct {
        name: name.into(),
        kind: ProductKind::Antivirus,
        state,
        up_to_date,
        signature_age_days: None,
        microsoft: Some(false),
        version: None,
        installed: None,
        product_state: None,
    }
}

#[test]
fn version_and_install_date_come_from_the_installed_programs() {
    let mut av = Antivirus {
        source: AvSource::SecurityCenter,
        products: vec![product(
            "Kaspersky Endpoint Security",
            Some(ProductState::On),
            Some(true),
        )],
    };
    let sw = Software {
        updates: Vec::new(),
        programs: vec![InstalledProgram {
            name: "Kaspersky Endpoint Security para Windows".into(),
            version: Some("12.3.0.493".into()),
            publisher: Some("AO Kaspersky Lab".into()),
            installed: Some("2026-11-22".into()),
            security: true,
        }],
    };
    antivirus::enrich(&mut av, &sw);
    assert_eq!(av.products[0].version.as_deref(), Some("12.3.0.493"));
    assert_eq!(av.products[0].installed.as_deref(), Some("2026-11-22"));
}

#[test]
fn out_of_date_signatures_and_no_antivirus_on() {
    let profile = chamado_profile::builtin();
    let av = Antivirus {
        source: AvSource::SecurityCenter,
        products: vec![
            product("Avast Free Antivirus", Some(ProductState::Off), Some(false)),
            product("Windows Defender", Some(ProductState::Off), Some(true)),
        ],
    };
    let f = findings(&Facts {
        antivirus: Some(&av),
        ..Facts::new(&profile, "2026-11-24".parse().unwrap())
    });
    let rules: Vec<_> = f.iter().map(|x| x.rule.as_str()).collect();
    assert_eq!(rules, ["antivirus.out_of_date", "antivirus.none_on"]);
    assert_eq!(
        f[0].title.pt_br,
        "Avast Free Antivirus: assinaturas de vírus desatualizadas"
    );
}

/// On Linux the products found on disk; on Windows Security Center, or, where it does not exist
/// (Wine, Windows Server), Defender's status, with the report saying so.
#[tokio::test]
async fn the_probe_runs_on_this_machine() {
    let probe = antivirus::probe().await;
    let av = probe.data.expect("antivirus data");
    #[cfg(target_os = "linux")]
    {
        assert_eq!(av.source, AvSource::Linux);
        assert!(probe.problems.is_empty(), "{:?}", probe.problems);
    }
    #[cfg(windows)]
    {
        if av.source == AvSource::Defender {
            let said = probe.problems.iter().any(|p| {
                matches!(p, ProbeProblem::Missing { what } if what.contains("SecurityCenter2") && what.contains("Defender"))
            });
            assert!(said, "the fallback says why: {:?}", probe.problems);
        }
    }
    for p in &probe.problems {
        assert!(!matches!(p, ProbeProblem::Failed { .. }), "{p:?}");
    }
    for p in &av.products {
        assert!(!p.name.is_empty());
    }
}
