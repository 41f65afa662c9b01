//! Chamado's diagnostics engine: what is checked on the customer's machine, with verdicts a
//! customer understands. Knows nothing of Tauri. So far: the profile's network checks
//! (`netcheck`); the probes, rules, snapshots and reports come next.

pub mod netcheck;
