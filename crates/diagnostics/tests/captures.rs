//! Conformance of the `.reg` and `.wmi` readers in `support::capture` against real captures from
//! Windows machines (`../shared/fixtures/windows`, see its README) and small synthetic inputs.
//! The captures stay in `../shared`; when that folder is absent these tests fail with a clear
//! message instead of passing.

mod support;

use support::capture::{
    decode_utf16_file, find, fixture_names, list, parse_reg, parse_wmi, reg_fixture, text,
    utf16le_with_bom, wmi_fixture, RegKey, RegValue, WmiValue,
};

const FIREWALL: &str = "SharedAccess\\Parameters\\FirewallPolicy";

// ---------------------------------------------------------------------------------------------
// Real captures: everything parses
// ---------------------------------------------------------------------------------------------

#[test]
fn every_registry_capture_parses() {
    let names = fixture_names("registry", "reg");
    assert!(
        names.len() >= 13,
        "expected the 13 captures, found {names:?}"
    );
    for name in names {
        let keys = reg_fixture(&format!("registry/{name}"));
        assert!(!keys.is_empty(), "{name}: no key");
        assert!(
            keys.iter()
                .all(|k| k.path.starts_with("HKEY_LOCAL_MACHINE\\")),
            "{name}: a key path lost its root"
        );
    }
}

#[test]
fn every_wmi_capture_parses() {
    let names = fixture_names("wmi", "wmi");
    assert!(
        names.len() >= 18,
        "expected the 18 captures, found {names:?}"
    );
    for name in names {
        let rows = wmi_fixture(&format!("wmi/{name}"));
        assert!(!rows.is_empty(), "{name}: no instance");
        // Every instance of one class lists the same properties.
        let first: Vec<&String> = rows[0].keys().collect();
        for (i, row) in rows.iter().enumerate() {
            assert_eq!(
                row.keys().collect::<Vec<_>>(),
                first,
                "{name}: instance {i}"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Real captures: registry facts
// ---------------------------------------------------------------------------------------------

#[test]
fn firewall_profiles_enabled_on_windows_10_and_disabled_on_windows_7() {
    for profile in ["DomainProfile", "PublicProfile", "StandardProfile"] {
        for (machine, enabled) in [("10-", 1), ("7_firewall-", 0)] {
            let file = format!("registry/{machine}{profile}.reg");
            let keys = reg_fixture(&file);
            // Windows 10 writes `Services`, Windows 7 `services`: `find` ignores case.
            let key = find(&keys, &format!("{FIREWALL}\\{profile}"))
                .unwrap_or_else(|| panic!("{file}: no {profile} key"));
            assert_eq!(key.dword("EnableFirewall"), Some(enabled), "{file}");
            assert_eq!(key.dword("DisableNotifications"), Some(0), "{file}");
            let logging = find(&keys, &format!("{profile}\\Logging")).expect("Logging key");
            assert_eq!(logging.dword("LogFileSize"), Some(0x1000), "{file}");
        }
    }
}

#[test]
fn multi_line_expand_sz_is_joined_and_decoded() {
    // `LogFilePath` is a hex(2) value spread over five lines ending in `\`.
    for file in [
        "registry/10-DomainProfile.reg",
        "registry/7_firewall-PublicProfile.reg",
    ] {
        let keys = reg_fixture(file);
        let logging = find(&keys, "Logging").expect("Logging key");
        assert_eq!(
            logging.values.get("LogFilePath"),
            Some(&RegValue::ExpandSz(
                "%systemroot%\\system32\\LogFiles\\Firewall\\pfirewall.log".into()
            )),
            "{file}"
        );
        assert!(logging.str("LogFilePath").unwrap().contains('%'));
    }
}

#[test]
fn russian_uninstall_entries_decode_cyrillic_and_expand_strings() {
    let keys = reg_fixture("registry/10_russian-Uninstall.reg");
    let root = find(&keys, "CurrentVersion\\Uninstall").expect("Uninstall key");
    assert_eq!(
        root.str(""),
        Some(""),
        "the default value is an empty string"
    );

    let csp = find(&keys, "Uninstall\\{50F91F80-D397-437C-B0C8-62128DE3B55E}").expect("CSP");
    assert_eq!(csp.str("DisplayName"), Some("КриптоПро CSP"));
    assert_eq!(csp.str("Publisher"), Some("Компания КриптоПро"));
    assert_eq!(csp.str("Contact"), Some("Отдел поддержки клиентов"));
    assert_eq!(csp.str("InstallDate"), Some("20210724"));
    assert_eq!(
        csp.str("InstallLocation"),
        Some("C:\\Program Files (x86)\\Crypto Pro\\CSP\\"),
        "\\\\ unescaped, and the trailing backslash kept"
    );
    assert_eq!(
        csp.values.get("UninstallString"),
        Some(&RegValue::ExpandSz(
            "MsiExec.exe /I{50F91F80-D397-437C-B0C8-62128DE3B55E}".into()
        ))
    );
    assert_eq!(csp.str("HelpLink"), Some("https://support.cryptopro.ru/"));
    assert_eq!(csp.dword("Version"), Some(0x0500_2ee0));

    // A key name in Cyrillic, found case-insensitively (Unicode lower-casing).
    let one_c = find(&keys, "uninstall\\1c ПРЕДПРИЯТИЕ 7.7.27").expect("1C key");
    assert_eq!(one_c.str("DisplayName"), Some("1C Предприятие 7.7"));
    assert_eq!(one_c.str("InstallDate"), None, "this entry has none");
}

#[test]
fn mssql_uninstall_has_install_dates_and_escaped_quotes() {
    let keys = reg_fixture("registry/mssql-Uninstall.reg");
    let dates: Vec<&str> = keys.iter().filter_map(|k| k.str("InstallDate")).collect();
    assert_eq!(dates, ["20170502", "20170622"]);
    let firefox = find(&keys, "Mozilla Firefox 57.0.2 (fr)").expect("Firefox");
    assert_eq!(
        firefox.str("UninstallString"),
        Some("\"C:\\Program Files\\Mozilla Firefox\\uninstall\\helper.exe\"")
    );
    assert_eq!(firefox.dword("EstimatedSize"), Some(0x0001_fe81));
}

#[test]
fn network_list_multi_sz_binary_and_default_values() {
    let keys = reg_fixture("registry/7_firewall-NetworkList.reg");
    let root = find(&keys, "Windows NT\\CurrentVersion\\NetworkList").expect("NetworkList");
    assert_eq!(root.str(""), Some("192.228.79.201"), "@= default value");
    let new = find(&keys, "NetworkList\\NewNetworks").expect("NewNetworks");
    assert_eq!(
        new.values.get("NetworkList"),
        Some(&RegValue::MultiSz(vec![
            "{C6051DC7-23A9-4602-A9AD-9FF61EEBC50F}".into()
        ])),
        "hex(7) over four lines"
    );
    let enabled = find(
        &keys,
        "0A0C059AD35AEF56302E6F112334E685D65622A22043F0348EB171B7709F1EE2",
    )
    .expect("IntranetEnabled entry");
    assert_eq!(
        enabled.values.get(""),
        Some(&RegValue::Binary(vec![1, 0, 0, 0]))
    );
    assert_eq!(enabled.str(""), None, "binary is not a string");

    // Surprise in the real file: the same key section appears twice (the capture was anonymised).
    // Both sections are kept, in file order.
    let twice: Vec<&RegKey> = keys
        .iter()
        .filter(|k| k.path.ends_with("IntranetAuth\\3.3.999.99.999.99"))
        .collect();
    assert_eq!(twice.len(), 2);
    assert_eq!(twice[0].dword("Successes"), Some(0xe000_0000));
    assert_eq!(twice[1].dword("Successes"), Some(0xffff_ffff));

    // An empty REG_MULTI_SZ is written `hex(7):00,00`.
    let keys10 = reg_fixture("registry/10-NetworkList.reg");
    let new10 = find(&keys10, "NetworkList\\NewNetworks").expect("NewNetworks");
    assert_eq!(
        new10.values.get("NetworkList"),
        Some(&RegValue::MultiSz(vec![]))
    );
    let profile = find(&keys10, "Profiles\\{619F029B-F8A8-486A-BE48-752BDACBAF29}").unwrap();
    assert_eq!(profile.str("ProfileName"), Some("Réseau"));
}

#[test]
fn double_bom_files_parse() {
    // 10-Interfaces.reg starts FF FE FF FE: a BOM written twice.
    let keys = reg_fixture("registry/10-Interfaces.reg");
    assert_eq!(keys.len(), 1);
    assert!(keys[0].path.ends_with("Tcpip\\Parameters\\Interfaces"));
    assert!(keys[0].values.is_empty());
    let rows = wmi_fixture("wmi/10-Win32_NetworkAdapterConfiguration.wmi");
    assert!(
        rows[0].contains_key("ArpAlwaysSourceRoute"),
        "no BOM glued to the first name"
    );
}

#[test]
fn cpu_registry_other_kinds_and_dwords() {
    let keys = reg_fixture("registry/2019-amd-epyc-CentralProcessor.reg");
    let cpus: Vec<&RegKey> = keys
        .iter()
        .filter(|k| k.values.contains_key("~MHz"))
        .collect();
    assert_eq!(cpus.len(), 4);
    let cpu0 = find(&keys, "CentralProcessor\\0").unwrap();
    assert_eq!(cpu0.dword("~MHz"), Some(2994));
    assert_eq!(
        cpu0.str("ProcessorNameString"),
        Some("AMD EPYC 7302 16-Core Processor                "),
        "trailing spaces kept"
    );
    assert_eq!(
        cpu0.values.get("Configuration Data"),
        Some(&RegValue::Other {
            kind: 9,
            bytes: [[0xff; 8], [0; 8]].concat()
        }),
        "hex(9), REG_FULL_RESOURCE_DESCRIPTOR"
    );
    assert_eq!(cpu0.dword("Platform Specific Field1"), Some(u32::MAX));
}

// ---------------------------------------------------------------------------------------------
// Real captures: WMI facts
// ---------------------------------------------------------------------------------------------

#[test]
fn windows_7_operating_system() {
    let rows = wmi_fixture("wmi/win7-sp1-x64-Win32_OperatingSystem.wmi");
    assert_eq!(rows.len(), 1);
    let os = &rows[0];
    let caption = text(os, "Caption").unwrap();
    assert!(caption.contains("Windows 7"), "{caption:?}");
    assert_eq!(
        caption, "Microsoft Windows 7 Professionnel ",
        "wmic keeps the trailing space"
    );

    let boot = text(os, "LastBootUpTime").unwrap();
    assert_eq!(boot, "20130822204218.500000+120");
    let (stamp, offset) = boot.split_at(boot.len() - 4);
    let (digits, fraction) = stamp.split_once('.').unwrap();
    assert!(digits.starts_with("20") && digits.len() == 14);
    assert!(digits.chars().all(|c| c.is_ascii_digit()));
    assert!(fraction.len() == 6 && fraction.chars().all(|c| c.is_ascii_digit()));
    assert!(offset.starts_with(['+', '-']) && offset[1..].chars().all(|c| c.is_ascii_digit()));

    assert_eq!(list(os, "MUILanguages"), ["fr-FR", "en-US"]);
    assert_eq!(text(os, "CSDVersion"), None);
    assert_eq!(os.get("CSDVersion"), Some(&WmiValue::Empty));
    assert_eq!(text(os, "MaxNumberOfProcesses"), Some("-1"));
    assert_eq!(text(os, "SystemDirectory"), Some("C:\\Windows\\system32"));
}

#[test]
fn vpn_up_and_down_differ_in_enabled_adapters() {
    let enabled = |file: &str| -> Vec<String> {
        wmi_fixture(file)
            .iter()
            .filter(|r| text(r, "IPEnabled") == Some("TRUE"))
            .map(|r| text(r, "Description").unwrap_or_default().to_owned())
            .collect()
    };
    let up = enabled("wmi/vpn-up-Win32_NetworkAdapterConfiguration.wmi");
    let down = enabled("wmi/vpn-down-Win32_NetworkAdapterConfiguration.wmi");
    assert_eq!(up.len(), 2, "{up:?}");
    assert_eq!(down.len(), 1, "{down:?}");

    let up_rows = wmi_fixture("wmi/vpn-up-Win32_NetworkAdapterConfiguration.wmi");
    let addresses: Vec<Vec<&str>> = up_rows
        .iter()
        .filter(|r| text(r, "IPEnabled") == Some("TRUE"))
        .map(|r| list(r, "IPAddress"))
        .collect();
    assert!(addresses.contains(&vec!["192.168.0.254", "fe80::3a27:1bd1:1148:0d87"]));
    assert!(addresses.contains(&vec!["10.177.0.17", "fe80::485a:6ef8:5cc4:45e1"]));
}

#[test]
fn arrays_become_lists_and_guids_stay_text() {
    let rows = wmi_fixture("wmi/10-Win32_NetworkAdapterConfiguration.wmi");
    let nic = rows
        .iter()
        .find(|r| text(r, "Index") == Some("1"))
        .expect("adapter 1");
    assert_eq!(
        list(nic, "IPAddress"),
        ["0.0.0.9", "fe82::fe82:fe82:fe82:fe82"]
    );
    assert_eq!(list(nic, "IPSubnet"), ["255.255.255.0", "64"]);
    assert_eq!(
        list(nic, "DNSServerSearchOrder"),
        ["0.0.0.2", "0.0.0.3", "0.0.0.4"]
    );
    assert_eq!(list(nic, "GatewayCostMetric"), ["0"], "unquoted numbers");
    assert_eq!(
        nic.get("IPSecPermitTCPPorts"),
        Some(&WmiValue::List(vec![]))
    );
    assert_eq!(text(nic, "IPAddress"), None, "a list is not text");
    // `{GUID}` looks like an array but is a plain value.
    assert_eq!(
        text(nic, "SettingID"),
        Some("{1AD600CD-7F09-42CD-8E84-2FA8B7E4FAA6}")
    );
    assert_eq!(
        text(nic, "DatabasePath"),
        Some("%SystemRoot%\\System32\\drivers\\etc")
    );

    let kdnic = rows.iter().find(|r| text(r, "Index") == Some("0")).unwrap();
    assert!(list(kdnic, "IPAddress").is_empty());
    assert_eq!(kdnic.get("IPAddress"), Some(&WmiValue::Empty));

    let net = wmi_fixture("wmi/10-net-Win32_NetworkAdapterConfiguration.wmi");
    assert!(net
        .iter()
        .any(|r| list(r, "IPAddress") == ["192.168.0.2", "fe80::2c1f:9a1f:dedd:699c"]));

    let cs = wmi_fixture("wmi/11-AzureAD-Win32_ComputerSystem.wmi");
    assert_eq!(list(&cs[0], "Roles"), ["LM_Workstation", "LM_Server", "NT"]);
}

#[test]
fn wmic_xml_entities_are_decoded() {
    // wmic /format:list writes `&` as `&amp;` (it goes through an XSL sheet).
    let rows = wmi_fixture("wmi/10-net-Win32_NetworkAdapter.wmi");
    let ids: Vec<&str> = rows.iter().filter_map(|r| text(r, "PNPDeviceID")).collect();
    assert!(ids.contains(&"{5D624F94-8850-40C3-A3FA-A4FD2080BAF3}\\VWIFIMP_WFD\\5&2FCBB83E&0&11"));
    assert!(ids.iter().all(|id| !id.contains("&amp;")));
    assert!(rows
        .iter()
        .any(|r| text(r, "NetConnectionID") == Some("Connexion réseau Bluetooth 3")));
}

#[test]
fn other_wmi_classes() {
    let disk = wmi_fixture("wmi/win10-crypt-Win32_LogicalDisk.wmi");
    assert_eq!(disk.len(), 1);
    assert_eq!(text(&disk[0], "Description"), Some("Disque monté local"));
    assert_eq!(text(&disk[0], "FreeSpace"), Some("271162613760"));

    let fixes = wmi_fixture("wmi/xp-Win32_QuickFixEngineering.wmi");
    assert!(fixes.len() > 10);
    assert!(fixes
        .iter()
        .all(|r| text(r, "CSName") == Some("ORDI-DE-GONÉRI")));
    let kb = fixes
        .iter()
        .find(|r| text(r, "HotFixID") == Some("KB980195"))
        .unwrap();
    assert_eq!(
        text(kb, "InstalledOn"),
        Some("1/15/2011"),
        "US date, not CIM"
    );

    for file in [
        "wmi/latitude-7480-MSFT_PhysicalDisk.wmi",
        "wmi/win10-edu-2020-fr-MSFT_PhysicalDisk.wmi",
    ] {
        let disks = wmi_fixture(file);
        assert!(
            disks.iter().all(|d| text(d, "HealthStatus").is_some()),
            "{file}"
        );
        // ObjectId starts with `{1}` but is not an array.
        assert!(disks
            .iter()
            .all(|d| text(d, "ObjectId").is_some_and(|o| o.starts_with("{1}\\\\"))));
    }
}

// ---------------------------------------------------------------------------------------------
// Synthetic inputs
// ---------------------------------------------------------------------------------------------

fn reg(body: &str) -> Result<Vec<RegKey>, String> {
    parse_reg(&utf16le_with_bom(&format!(
        "Windows Registry Editor Version 5.00\r\n\r\n{body}"
    )))
}

#[test]
fn synthetic_strings_escapes_and_default() {
    let keys = reg(concat!(
        "[HKEY_CURRENT_USER\\Software\\Chamado]\r\n",
        "@=\"default\"\r\n",
        "\"Path\"=\"C:\\\\Program Files\\\\Chamado\\\\\"\r\n",
        "\"Quote\"=\"say \\\"hi\\\" = ok\"\r\n",
        "\"Name \\\"odd\\\"\"=\"\"\r\n",
        "\"Count\"=dword:0000000a\r\n",
        "\"Big\"=hex(b):01,00,00,00,00,00,00,80\r\n",
        "\"Big2\"=qword:0000000100000002\r\n",
        "\"None\"=hex(0):\r\n",
        "\"Link\"=hex(6):41,00\r\n",
        "\"Gone\"=-\r\n",
        "\r\n",
        "[-HKEY_CURRENT_USER\\Software\\Old]\r\n",
        "\"Ignored\"=dword:00000001\r\n",
        "\r\n",
        "[HKEY_CURRENT_USER\\Software\\Chamado\\Empty]\r\n",
    ))
    .unwrap();
    assert_eq!(keys.len(), 2, "the deleted key is skipped: {keys:?}");
    let k = &keys[0];
    assert_eq!(k.str(""), Some("default"));
    assert_eq!(k.str("Path"), Some("C:\\Program Files\\Chamado\\"));
    assert_eq!(k.str("Quote"), Some("say \"hi\" = ok"));
    assert_eq!(k.str("Name \"odd\""), Some(""));
    assert_eq!(k.dword("Count"), Some(10));
    assert_eq!(
        k.values.get("Big"),
        Some(&RegValue::Qword(0x8000_0000_0000_0001))
    );
    assert_eq!(k.values.get("Big2"), Some(&RegValue::Qword(0x1_0000_0002)));
    assert_eq!(
        k.values.get("None"),
        Some(&RegValue::Other {
            kind: 0,
            bytes: vec![]
        })
    );
    assert_eq!(
        k.values.get("Link"),
        Some(&RegValue::Other {
            kind: 6,
            bytes: vec![0x41, 0]
        })
    );
    assert!(!k.values.contains_key("Gone"));
    assert_eq!(k.dword("Path"), None);
    assert!(keys[1].values.is_empty());
    assert_eq!(
        find(&keys, "software\\CHAMADO").map(|k| k.path.as_str()),
        Some(keys[0].path.as_str())
    );
    assert!(
        find(&keys, "hamado").is_none(),
        "suffixes match whole key names"
    );
}

#[test]
fn synthetic_multi_sz_and_continuation_lines() {
    // "a", "bc", then the double NUL; the second value spreads over three lines.
    let keys = reg(concat!(
        "[HKEY_LOCAL_MACHINE\\X]\r\n",
        "\"Multi\"=hex(7):61,00,00,00,62,00,63,00,00,00,00,00\r\n",
        "\"Long\"=hex(7):61,00,00,00,\\\r\n",
        "  62,00,63,00,\\\r\n",
        "  00,00,00,00\r\n",
        "\"Bin\"=hex:de,ad,\\\r\n",
        "  be,ef\r\n",
        "\"Exp\"=hex(2):25,00,54,00,45,00,4d,00,50,00,25,00,00,00\r\n",
        "\"After\"=dword:00000001\r\n",
    ))
    .unwrap();
    let k = &keys[0];
    let expected = RegValue::MultiSz(vec!["a".into(), "bc".into()]);
    assert_eq!(k.values.get("Multi"), Some(&expected));
    assert_eq!(k.values.get("Long"), Some(&expected));
    assert_eq!(
        k.values.get("Bin"),
        Some(&RegValue::Binary(vec![0xde, 0xad, 0xbe, 0xef]))
    );
    assert_eq!(k.str("Exp"), Some("%TEMP%"));
    assert_eq!(
        k.dword("After"),
        Some(1),
        "the line after a continuation is its own value"
    );
}

#[test]
fn synthetic_malformed_lines_name_their_line() {
    // Line 1 header, 2 blank, 3 key, 4 good, 5 bad.
    let err = reg("[HKEY_LOCAL_MACHINE\\X]\r\n\"A\"=dword:1\r\n\"B\"=dwerd:2\r\n").unwrap_err();
    assert!(err.starts_with("line 5:"), "{err}");
    assert!(err.contains("\"B\""), "{err}");

    let err = reg("[HKEY_LOCAL_MACHINE\\X]\r\n\"A\"=hex:0g\r\n").unwrap_err();
    assert!(err.starts_with("line 4:") && err.contains("0g"), "{err}");

    let err = reg("[HKEY_LOCAL_MACHINE\\X]\r\n\"A\"=dword:123456789\r\n").unwrap_err();
    assert!(err.starts_with("line 4:"), "{err}");

    let err = reg("[HKEY_LOCAL_MACHINE\\X]\r\n\"A\"=\"unterminated\r\n").unwrap_err();
    assert!(err.starts_with("line 4:"), "{err}");

    let err = reg("[HKEY_LOCAL_MACHINE\\X]\r\n\"A\"=hex:01,\\\r\n").unwrap_err();
    assert!(
        err.starts_with("line 4:") && err.contains("no continuation"),
        "{err}"
    );

    let err =
        reg("[HKEY_LOCAL_MACHINE\\X]\r\n\"A\"=hex:01,\\\r\n\r\n\"B\"=dword:1\r\n").unwrap_err();
    assert!(
        err.starts_with("line 4:") && err.contains("no continuation"),
        "{err}"
    );

    let err = reg("\"A\"=dword:00000001\r\n").unwrap_err();
    assert!(
        err.starts_with("line 3:") && err.contains("before any [KEY]"),
        "{err}"
    );

    let err = reg("[HKEY_LOCAL_MACHINE\\X\r\n").unwrap_err();
    assert!(err.starts_with("line 3:"), "{err}");

    let err = parse_reg(&utf16le_with_bom("Some other file\r\n")).unwrap_err();
    assert!(
        err.starts_with("line 1:") && err.contains("header"),
        "{err}"
    );
}

#[test]
fn decoding_handles_boms_and_utf8() {
    assert_eq!(
        decode_utf16_file(&utf16le_with_bom("Ação")).unwrap(),
        "Ação"
    );
    let mut twice = vec![0xFF, 0xFE];
    twice.extend(utf16le_with_bom("x"));
    assert_eq!(decode_utf16_file(&twice).unwrap(), "x");
    assert_eq!(
        decode_utf16_file("\u{FEFF}ação".as_bytes()).unwrap(),
        "ação"
    );
    assert_eq!(decode_utf16_file("ação".as_bytes()).unwrap(), "ação");
    assert!(
        decode_utf16_file(&[0xFF, 0xFE, 0x41]).is_err(),
        "odd length"
    );
    assert!(
        decode_utf16_file(&[0xFE, 0xFF, 0, 0x41]).is_err(),
        "big-endian"
    );
    assert!(decode_utf16_file(&[0xC3, 0x28]).is_err(), "neither");

    // A UTF-8 export (as a tool or a person might save it) parses the same.
    let keys = parse_reg(
        "Windows Registry Editor Version 5.00\n\n[HKEY_LOCAL_MACHINE\\Y]\n\"N\"=\"é\"\n".as_bytes(),
    )
    .unwrap();
    assert_eq!(keys[0].str("N"), Some("é"));
}

#[test]
fn synthetic_wmi() {
    let rows = parse_wmi(&utf16le_with_bom(concat!(
        "\r\n\r\n",
        "Caption=Intel Ethernet \r\n",
        "IPAddress={\"192.168.1.10\",\"fe80::1\"}\r\n",
        "Caps={0,1,-2}\r\n",
        "Flags={TRUE,FALSE}\r\n",
        "None={}\r\n",
        "Guid={01234567-89AB-CDEF-0123-456789ABCDEF}\r\n",
        "Braces={1}\\x\r\n",
        "Eq=a=b\r\n",
        "Pnp=PCI\\VEN_8086&amp;DEV_15B8&amp;x&lt;y&gt;&unknown;\r\n",
        "Empty=\r\n",
        "\r\n\r\n\r\n",
        "Caption=second\r\n",
    )))
    .unwrap();
    assert_eq!(rows.len(), 2);
    let r = &rows[0];
    assert_eq!(text(r, "Caption"), Some("Intel Ethernet "));
    assert_eq!(list(r, "IPAddress"), ["192.168.1.10", "fe80::1"]);
    assert_eq!(list(r, "Caps"), ["0", "1", "-2"]);
    assert_eq!(list(r, "Flags"), ["TRUE", "FALSE"]);
    assert_eq!(r.get("None"), Some(&WmiValue::List(vec![])));
    assert_eq!(
        text(r, "Guid"),
        Some("{01234567-89AB-CDEF-0123-456789ABCDEF}")
    );
    assert_eq!(text(r, "Braces"), Some("{1}\\x"));
    assert_eq!(text(r, "Eq"), Some("a=b"), "split at the first '='");
    assert_eq!(text(r, "Pnp"), Some("PCI\\VEN_8086&DEV_15B8&x<y>&unknown;"));
    assert_eq!(r.get("Empty"), Some(&WmiValue::Empty));
    assert_eq!(text(r, "Empty"), None);
    assert_eq!(text(r, "Missing"), None);
    assert!(list(r, "Caption").is_empty(), "text is not a list");
    assert_eq!(text(&rows[1], "Caption"), Some("second"));

    assert_eq!(parse_wmi(&utf16le_with_bom("\r\n\r\n")).unwrap(), vec![]);

    // Line 1 blank, 2 good, 3 without '='.
    let err = parse_wmi(&utf16le_with_bom("\r\nA=1\r\nno equals here\r\n")).unwrap_err();
    assert!(err.starts_with("line 3:"), "{err}");
    let err = parse_wmi(&utf16le_with_bom("A=1\r\nA=2\r\n")).unwrap_err();
    assert!(err.starts_with("line 2:") && err.contains("twice"), "{err}");
}
