//! Pure decoding of crash records: Windows event XML (as `EvtRender` gives it) and
//! `coredumpctl --json=short` output.

use super::{CrashEvent, CrashKind, MAX_EVENTS};
use crate::program::exe_file_name;

/// One event's XML → a crash, or `None` when it is not one of the crash events or lacks the
/// program's name. The message text is localised (pt-BR on the customer's machines): only the
/// structured fields are read, except for .NET's single data string, which has fixed keys.
pub fn decode_event_xml(xml: &str) -> Option<CrashEvent> {
    let doc = roxmltree::Document::parse(xml).ok()?;
    let root = doc.root_element();
    let system = child(root, "System")?;
    let id: u32 = child(system, "EventID")?.text()?.trim().parse().ok()?;
    let time = child(system, "TimeCreated")?
        .attribute("SystemTime")?
        .to_owned();
    let time = normalise_time(&time);
    let data: Vec<(Option<&str>, String)> = child(root, "EventData")
        .map(|d| {
            d.children()
                .filter(|n| n.tag_name().name() == "Data")
                .map(|n| {
                    (
                        n.attribute("Name"),
                        n.text().unwrap_or("").trim().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let named = |key: &str| {
        data.iter()
            .find(|(k, _)| *k == Some(key))
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    };
    let nth = |i: usize| {
        data.get(i)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty())
    };
    let event = match id {
        // Named fields since Windows 8; Windows 7 writes the same ones unnamed, in this order.
        1000 => {
            let field = |name: &str, i: usize| named(name).or_else(|| nth(i));
            CrashEvent {
                time,
                kind: CrashKind::Crash,
                app: field("AppName", 0)?,
                app_version: field("AppVersion", 1),
                app_path: field("AppPath", 10),
                module: field("ModuleName", 3),
                exception: field("ExceptionCode", 6).map(|c| hex_code(&c)),
                vendor_program: false,
            }
        }
        // Windows Error Reporting's fields are positional: Bucket, BucketType, EventName,
        // Response, CabId, then P1 (program), P2 (version), P3, P4 (module), ..., P7 (code).
        1001 => {
            let event_name = nth(2).unwrap_or_default();
            let kind = if event_name.to_lowercase().starts_with("apphang") {
                CrashKind::Hang
            } else {
                CrashKind::Report
            };
            let crash = event_name.eq_ignore_ascii_case("APPCRASH");
            CrashEvent {
                time,
                kind,
                app: nth(5)?,
                app_version: nth(6),
                app_path: None,
                module: if crash { nth(8) } else { None },
                exception: if crash {
                    nth(11).map(|c| hex_code(&c))
                } else {
                    None
                },
                vendor_program: false,
            }
        }
        1026 => {
            let text = nth(0)?;
            dotnet_event(time, &text)?
        }
        _ => return None,
    };
    Some(event)
}

fn child<'a, 'i>(parent: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    parent.children().find(|n| n.tag_name().name() == name)
}

/// `.NET Runtime` 1026's one string: "Application: X.exe", "Framework Version: …",
/// "Description: …", "Exception Info: System.…Exception", then the stack. The keys are
/// localised on some systems ("Aplicativo:"), so the first line's value is the program and the
/// first `…Exception` word is the exception.
fn dotnet_event(time: String, text: &str) -> Option<CrashEvent> {
    let first = text.lines().next()?;
    let app = first.split_once(':')?.1.trim().to_owned();
    if app.is_empty() {
        return None;
    }
    let exception = text
        .split(|c: char| c.is_whitespace() || c == ':' || c == ',')
        .find(|w| w.ends_with("Exception") && w.contains('.'))
        .map(str::to_owned);
    Some(CrashEvent {
        time,
        kind: CrashKind::DotNet,
        app,
        app_version: None,
        app_path: None,
        module: None,
        exception,
        vendor_program: false,
    })
}

/// `c0000005` or `0xc0000005` → `0xc0000005`.
fn hex_code(code: &str) -> String {
    let c = code.trim().to_lowercase();
    if c.starts_with("0x") {
        c
    } else {
        format!("0x{c}")
    }
}

/// `2026-11-20T14:03:11.1234567Z` → `2026-11-20T14:03:11Z`.
fn normalise_time(t: &str) -> String {
    match (t.find('.'), t.ends_with('Z')) {
        (Some(dot), true) => format!("{}Z", &t[..dot]),
        _ => t.to_owned(),
    }
}

/// `coredumpctl list --json=short` → crashes. Each entry has `time` (µs since the epoch),
/// `exe`, `sig` and `corefile`.
pub fn decode_coredumps(json: &str) -> Result<Vec<CrashEvent>, serde_json::Error> {
    #[derive(serde::Deserialize)]
    struct Entry {
        time: i64,
        exe: Option<String>,
        sig: Option<i32>,
    }
    let entries: Vec<Entry> = serde_json::from_str(json)?;
    Ok(entries
        .into_iter()
        .filter_map(|e| {
            let exe = e.exe?;
            let time = jiff::Timestamp::from_microsecond(e.time).ok()?;
            Some(CrashEvent {
                time: time.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
                kind: CrashKind::CoreDump,
                app: exe_file_name(&exe),
                app_version: None,
                app_path: Some(exe),
                module: None,
                exception: e.sig.map(signal_name),
                vendor_program: false,
            })
        })
        .collect())
}

fn signal_name(sig: i32) -> String {
    match sig {
        4 => "SIGILL".into(),
        6 => "SIGABRT".into(),
        7 => "SIGBUS".into(),
        8 => "SIGFPE".into(),
        11 => "SIGSEGV".into(),
        n => format!("signal {n}"),
    }
}

/// Marks the vendor program's crashes and puts them first, each group newest first, within
/// `MAX_EVENTS`.
pub fn vendor_first(events: &mut Vec<CrashEvent>, vendor_exe: Option<&str>) {
    let wanted = vendor_exe.map(exe_file_name);
    for e in events.iter_mut() {
        e.vendor_program = wanted.as_deref().is_some_and(|w| {
            exe_file_name(&e.app) == w
                || e.app_path.as_deref().is_some_and(|p| exe_file_name(p) == w)
        });
    }
    events.sort_by(|a, b| {
        b.vendor_program
            .cmp(&a.vendor_program)
            .then_with(|| b.time.cmp(&a.time))
    });
    events.truncate(MAX_EVENTS);
}
