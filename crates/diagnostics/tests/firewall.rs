//! The firewall probe on the machine running the tests, checked for shape (values are this
//! machine's): Linux in CI, Windows under Wine in the Windows lane.

use chamado_diagnostics::firewall::{self, Firewall};
use chamado_diagnostics::probe::ProbeProblem;

#[tokio::test]
async fn the_probe_runs_on_this_machine() {
    let probe = firewall::probe().await;
    let fw = probe.data.expect("firewall data, even when partial");
    for p in &probe.problems {
        // Only "not here" is acceptable on a test machine (no systemd in a container, no
        // firewall keys in a fresh Wine prefix); a failure is a bug.
        assert!(matches!(p, ProbeProblem::Missing { .. }), "{p:?}");
    }
    match fw {
        #[cfg(target_os = "linux")]
        Firewall::Linux(linux) => {
            let names: Vec<_> = linux.services.iter().map(|s| s.name.as_str()).collect();
            assert_eq!(names, ["firewalld", "ufw", "nftables", "iptables"]);
            for s in &linux.services {
                if !s.installed {
                    assert_eq!(s.active, Some(false), "{s:?}");
                }
            }
        }
        #[cfg(windows)]
        Firewall::Windows(windows) => assert_eq!(windows.profiles.len(), 3),
        other => panic!("another OS's firewall: {other:?}"),
    }
}
