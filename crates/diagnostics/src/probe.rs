//! A probe gathers one kind of data. It has a time limit, needs no admin rights, and on failure
//! returns what it has plus why: one probe never sinks the run.

use std::time::{Duration, Instant};

use serde::Serialize;

/// Why a probe's data is missing or partial. The report shows these; rules may act on `code`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ProbeProblem {
    /// The probe did not finish within its limit.
    TimedOut { after_ms: u64 },
    /// The system refused to tell (e.g. a registry key the user may not read).
    AccessDenied { what: String },
    /// The source does not exist here (e.g. a WMI namespace missing on Windows Server).
    Missing { what: String },
    /// Anything else, with the system's words.
    Failed { what: String, detail: String },
    /// The user chose not to send this probe's data (the bundle's review).
    LeftOut,
}

impl ProbeProblem {
    /// An I/O error reading `what` (a file, a registry key), by its kind.
    pub fn from_io(what: &str, e: &std::io::Error) -> Self {
        match e.kind() {
            std::io::ErrorKind::NotFound => ProbeProblem::Missing { what: what.into() },
            std::io::ErrorKind::PermissionDenied => {
                ProbeProblem::AccessDenied { what: what.into() }
            }
            _ => ProbeProblem::Failed {
                what: what.into(),
                detail: e.to_string(),
            },
        }
    }
}

/// What a probe returned: its data (possibly partial), the problems met, and how long it took.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Probe<T> {
    pub data: Option<T>,
    pub problems: Vec<ProbeProblem>,
    pub elapsed_ms: u64,
}

/// What a probe's collecting function returns: data (or none) and the problems met on the way.
pub type Gathered<T> = (Option<T>, Vec<ProbeProblem>);

/// Runs a blocking collecting function on its own thread within `limit`. Past the limit the
/// thread is left to finish alone (an OS call cannot be cancelled) and the probe reports a
/// timeout; a panic is reported as a failure. Either way the run goes on.
pub async fn run<T, F>(what: &'static str, limit: Duration, collect: F) -> Probe<T>
where
    T: Send + 'static,
    F: FnOnce() -> Gathered<T> + Send + 'static,
{
    let started = Instant::now();
    let task = tokio::task::spawn_blocking(collect);
    let (data, problems) = match tokio::time::timeout(limit, task).await {
        Ok(Ok(gathered)) => gathered,
        Ok(Err(e)) => (
            None,
            vec![ProbeProblem::Failed {
                what: what.into(),
                detail: format!("the probe stopped: {e}"),
            }],
        ),
        Err(_) => (
            None,
            vec![ProbeProblem::TimedOut {
                after_ms: limit.as_millis() as u64,
            }],
        ),
    };
    Probe {
        data,
        problems,
        elapsed_ms: started.elapsed().as_millis() as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_slow_probe_times_out_and_a_panicking_one_fails_without_sinking_the_run() {
        let slow = run("slow", Duration::from_millis(50), || {
            std::thread::sleep(Duration::from_secs(5));
            (Some(1), vec![])
        });
        // Generous limits: a panic's backtrace takes its time (under Wine, seconds).
        let broken = run::<u32, _>("broken", Duration::from_secs(60), || panic!("boom"));
        let fine = run("fine", Duration::from_secs(60), || (Some(7), vec![]));
        let (slow, broken, fine) = tokio::join!(slow, broken, fine);
        assert_eq!(slow.data, None);
        assert_eq!(slow.problems, [ProbeProblem::TimedOut { after_ms: 50 }]);
        // It answered without waiting for the stuck thread.
        assert!(slow.elapsed_ms < 5000, "{}", slow.elapsed_ms);
        assert!(
            matches!(&broken.problems[..], [ProbeProblem::Failed { what, .. }] if what == "broken")
        );
        assert_eq!(fine.data, Some(7));
        assert!(fine.problems.is_empty());
    }
}
