//! Chamado's diagnostics engine: what is checked on the customer's machine, with verdicts a
//! customer understands. Knows nothing of Tauri. So far: the profile's network checks
//! (`netcheck`), the probe runner (`probe`: time limits, partial data with reasons) and the
//! system probe; the other probes, rules, snapshots and reports come next.

pub mod antivirus;
pub mod firewall;
pub mod hardware;
pub mod html;
pub mod logs;
pub mod netcheck;
pub mod network;
pub mod personal;
pub mod probe;
pub mod report;
pub mod rules;
pub mod snapshot;
pub mod software;
pub mod system;
mod text;
#[cfg(windows)]
mod wmi_thread;
