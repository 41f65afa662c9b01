//! The hardware probe: real captures, rules, the real probe here.

mod support;

use chamado_diagnostics::hardware::{
    self, decode_hardware, DiskHealth, DiskRaw, HardwareRaw, MediaType, VolumeRaw,
};
use chamado_diagnostics::rules::{findings, Facts, Severity};
use support::capture::{text, wmi_fixture};

fn num(v: Option<&str>) -> Option<u64> {
    v.and_then(|s| s.parse().ok())
}

#[test]
fn real_disks_volumes_and_a_server_processor() {
    let mut raw = HardwareRaw {
        system_mount: Some("C:".into()),
        ..HardwareRaw::default()
    };
    for machine in ["latitude-7480", "win10-edu-2020-fr"] {
        for d in wmi_fixture(&format!("wmi/{machine}-MSFT_PhysicalDisk.wmi")) {
            raw.disks.push(DiskRaw {
                name: text(&d, "FriendlyName").map(str::to_owned),
                health_status: num(text(&d, "HealthStatus")).map(|v| v as u32),
                media_type: num(text(&d, "MediaType")).map(|v| v as u32),
                size: num(text(&d, "Size")),
            });
        }
    }
    for v in wmi_fixture("wmi/win10-crypt-Win32_LogicalDisk.wmi") {
        if text(&v, "DriveType") == Some("3") {
            raw.volumes.push(VolumeRaw {
                mount: text(&v, "DeviceID").unwrap().to_owned(),
                file_system: text(&v, "FileSystem").map(str::to_owned),
                size: num(text(&v, "Size")).unwrap(),
                free: num(text(&v, "FreeSpace")).unwrap(),
            });
        }
    }
    let cpu = &wmi_fixture("wmi/2019-amd-epyc-Win32_Processor.wmi")[0];
    raw.cpu_name = text(cpu, "Name").map(str::to_owned);
    raw.cores = num(text(cpu, "NumberOfCores")).map(|v| v as u32);
    raw.threads = num(text(cpu, "NumberOfLogicalProcessors")).map(|v| v as u32);

    let hw = decode_hardware(&raw);
    let nvme = hw
        .disks
        .iter()
        .find(|d| d.name == "PC300 NVMe SK hynix 512GB")
        .unwrap();
    assert_eq!(
        (nvme.health, nvme.media),
        (DiskHealth::Healthy, MediaType::Ssd)
    );
    assert_eq!(nvme.size_gb, Some(476.9));
    let vbox = hw.disks.iter().find(|d| d.name == "VBOX HARDDISK").unwrap();
    assert_eq!(vbox.media, MediaType::Unknown, "MediaType 0 is unspecified");
    let c = hw.volumes.iter().find(|v| v.mount == "C:").unwrap();
    assert!(c.system);
    assert_eq!((c.size_gb, c.free_gb, c.free_percent), (475.4, 252.5, 53.1));
    assert_eq!(
        hw.cpu.name.as_deref(),
        Some("AMD EPYC 7302 16-Core Processor")
    );
    assert_eq!((hw.cpu.cores, hw.cpu.threads), (Some(2), Some(4)));
}

#[test]
fn an_almost_full_system_disk_and_a_failing_one() {
    let raw = HardwareRaw {
        system_mount: Some("C:".into()),
        volumes: vec![
            VolumeRaw {
                mount: "C:".into(),
                file_system: Some("NTFS".into()),
                size: 120 << 30,
                free: 3 << 29,
            },
            VolumeRaw {
                mount: "D:".into(),
                file_system: Some("NTFS".into()),
                size: 1000 << 30,
                free: 500 << 30,
            },
        ],
        disks: vec![DiskRaw {
            name: Some("ST1000DM010".into()),
            health_status: Some(1),
            media_type: Some(3),
            size: None,
        }],
        ..HardwareRaw::default()
    };
    let hw = decode_hardware(&raw);
    let profile = chamado_profile::builtin();
    let f = findings(&Facts {
        hardware: Some(&hw),
        ..Facts::new(&profile, "2026-11-24".parse().unwrap())
    });
    let got: Vec<_> = f
        .iter()
        .map(|x| (x.severity, x.title.pt_br.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                Severity::Problem,
                "Pouco espaço livre no disco C: 1,5 GB livres (1%)"
            ),
            (
                Severity::Problem,
                "O disco ST1000DM010 informa problemas de saúde"
            ),
        ]
    );
}

#[tokio::test]
async fn the_probe_runs_on_this_machine() {
    let probe = hardware::probe().await;
    let hw = probe.data.expect("hardware data");
    for p in &probe.problems {
        assert!(
            !matches!(p, chamado_diagnostics::probe::ProbeProblem::Failed { .. }),
            "{p:?}"
        );
    }
    assert!(hw.memory.total_mb.is_some_and(|t| t > 0));
    #[cfg(target_os = "linux")]
    {
        assert!(hw.cpu.name.is_some() && hw.cpu.threads.is_some_and(|t| t > 0));
        assert!(
            hw.volumes
                .iter()
                .any(|v| v.mount == "/" && v.system && v.size_gb > 0.0),
            "{:?}",
            hw.volumes
        );
    }
}
