//! Chamado's diagnostics engine: what is checked on the customer's machine, with verdicts a
//! customer understands. Knows nothing of Tauri. Probes (one module each, per-OS files behind one
//! API, pure decoders), the profile's network checks (`netcheck`), the rules that turn them into
//! findings, snapshots ("what changed") and the report (JSON and HTML).

pub mod antivirus;
pub mod crashes;
pub mod firewall;
pub mod hardware;
pub mod html;
pub mod logs;
pub mod netcheck;
pub mod network;
pub mod personal;
pub mod probe;
pub mod program;
pub mod remote;
pub mod report;
pub mod rules;
pub mod snapshot;
pub mod software;
pub mod system;
mod text;
#[cfg(windows)]
mod wmi_thread;
