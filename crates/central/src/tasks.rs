//! Central's background tasks (the mailer, the forwarder): supervised, restarted if they die,
//! each with a heartbeat `/readyz` reads; each row they work on runs as its own task, so a panic,
//! an error or a hang on one row marks that row failed (or retried) and the others go on.
//!
//! Several centrals may share one database: a task claims its rows with a lease (see
//! `db::Db::claim_mail`, `db::Db::claim_forwards`) and gives up on a row before its lease runs
//! out (`Tuning::row_timeout`), so no row is ever worked on by two centrals at once.

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// This central's id as the owner of leases, kept in its data folder (`instance.id`): a central
/// restarted on the same folder is the same owner, so it takes back at once the rows it held
/// when it stopped (`Db::release_leases`), while a central on another folder (another machine
/// sharing the PostgreSQL database) waits their leases out.
pub fn instance_id(data: &std::path::Path) -> std::io::Result<String> {
    let path = data.join("instance.id");
    match std::fs::read_to_string(&path) {
        Ok(s) if !s.trim().is_empty() => return Ok(s.trim().to_owned()),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e),
    }
    let id = format!("central-{}", &crate::secret::new_access_key()[..12]);
    let tmp = data.join("instance.id.tmp");
    std::fs::write(&tmp, &id)?;
    std::fs::rename(&tmp, &path)?;
    Ok(id)
}

/// How the tasks hold rows and when they count as stuck.
#[derive(Debug, Clone)]
pub struct Tuning {
    /// How long a claimed row is this central's; another central takes it only after.
    pub lease: Duration,
    /// Most one row may take; past it the row is retried later (it must end before the lease).
    pub row_timeout: Duration,
    /// A task with no heartbeat for longer than this while rows are due is stuck (`/readyz`).
    pub stuck_after: Duration,
    /// The first wait before restarting a task that died (doubling, at most 30 s).
    pub restart_backoff: Duration,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            lease: Duration::from_secs(600),
            // The forwarder's slowest row: two attempts of 120 s (a 413 then links) plus
            // preparing; well inside the lease.
            row_timeout: Duration::from_secs(300),
            stuck_after: Duration::from_secs(360),
            restart_backoff: Duration::from_secs(1),
        }
    }
}

impl Tuning {
    /// Whether a row of a batch claimed at `claimed` may still start: its longest run
    /// (`row_timeout`) ends before the lease does, with 2 s for the stored times' whole seconds.
    pub fn lease_holds_for_a_row(&self, claimed: Instant) -> bool {
        claimed.elapsed() + self.row_timeout + Duration::from_secs(2) < self.lease
    }
}

/// Why a row could not be processed, as stored on the row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowFailure {
    /// The row's code panicked: permanent (the same row would panic again).
    Panic(String),
    /// The row took longer than `Tuning::row_timeout`: retried later.
    Timeout,
}

impl RowFailure {
    pub fn kind(&self) -> &'static str {
        match self {
            RowFailure::Panic(_) => "panic",
            RowFailure::Timeout => "timeout",
        }
    }

    pub fn message(&self) -> String {
        match self {
            RowFailure::Panic(m) => format!("central failed on this row (a bug): {m}"),
            RowFailure::Timeout => "processing took too long".to_owned(),
        }
    }
}

/// Runs one row's work on its own task: a panic there is caught (the task's `JoinError`), and
/// the work is abandoned after `timeout`.
pub async fn run_row<T: Send + 'static>(
    timeout: Duration,
    work: impl Future<Output = T> + Send + 'static,
) -> Result<T, RowFailure> {
    let mut handle = tokio::spawn(work);
    match tokio::time::timeout(timeout, &mut handle).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(RowFailure::Panic(match e.try_into_panic() {
            Ok(payload) => panic_text(payload.as_ref()),
            Err(e) => e.to_string(),
        })),
        Err(_) => {
            handle.abort();
            Err(RowFailure::Timeout)
        }
    }
}

/// Panics are logged with where they happened, never their message: it may quote what a
/// customer typed (a row's panic message is kept on the row, for `admin tickets`).
pub fn log_panics_without_their_message() {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        tracing::error!(at = %at, "a task panicked (its message is kept off the log)");
    }));
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    let text = if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_owned()
    };
    text.chars().take(500).collect()
}

/// A task's last signs of life.
#[derive(Debug, Clone)]
struct Beat {
    alive: bool,
    last: Instant,
    restarts: u32,
    /// Whether the task had rows due at its last look.
    busy: bool,
}

/// The tasks' heartbeats, read by `/readyz`.
#[derive(Debug, Default)]
pub struct Health {
    tasks: Mutex<BTreeMap<&'static str, Beat>>,
}

/// A task `/readyz` reports: dead (and not yet restarted) or stuck.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unhealthy {
    pub task: &'static str,
    /// `dead` or `stuck`.
    pub state: &'static str,
    pub seconds_since_heartbeat: u64,
    pub restarts: u32,
}

impl Health {
    fn with(&self, name: &'static str, f: impl FnOnce(&mut Beat)) {
        let mut map = self.tasks.lock().unwrap_or_else(|p| p.into_inner());
        let beat = map.entry(name).or_insert(Beat {
            alive: true,
            last: Instant::now(),
            restarts: 0,
            busy: false,
        });
        f(beat);
    }

    /// The task is alive; `busy`: it has rows to work on.
    pub fn beat(&self, name: &'static str, busy: bool) {
        self.with(name, |b| {
            b.alive = true;
            b.last = Instant::now();
            b.busy = busy;
        });
    }

    fn died(&self, name: &'static str) {
        self.with(name, |b| {
            b.alive = false;
            b.restarts += 1;
        });
    }

    /// The tasks in the Prometheus text format: up or not, seconds since the last heartbeat,
    /// restarts.
    pub fn render(&self) -> String {
        use std::fmt::Write;
        let map = self.tasks.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = String::from(
            "# HELP chamado_task_up Whether a background task runs (0 between a crash and its restart).\n\
             # TYPE chamado_task_up gauge\n",
        );
        for (name, b) in map.iter() {
            let _ = writeln!(
                out,
                "chamado_task_up{{task=\"{name}\"}} {}",
                u8::from(b.alive)
            );
        }
        out.push_str(
            "# HELP chamado_task_heartbeat_age_seconds Seconds since a background task's last heartbeat.\n\
             # TYPE chamado_task_heartbeat_age_seconds gauge\n",
        );
        for (name, b) in map.iter() {
            let _ = writeln!(
                out,
                "chamado_task_heartbeat_age_seconds{{task=\"{name}\"}} {}",
                b.last.elapsed().as_secs()
            );
        }
        out.push_str(
            "# HELP chamado_task_restarts_total Times a background task died and was restarted.\n\
             # TYPE chamado_task_restarts_total counter\n",
        );
        for (name, b) in map.iter() {
            let _ = writeln!(
                out,
                "chamado_task_restarts_total{{task=\"{name}\"}} {}",
                b.restarts
            );
        }
        out
    }

    /// Tasks dead, or silent for longer than `stuck_after` while they had rows due.
    pub fn unhealthy(&self, stuck_after: Duration) -> Vec<Unhealthy> {
        let map = self.tasks.lock().unwrap_or_else(|p| p.into_inner());
        map.iter()
            .filter_map(|(name, b)| {
                let silent = b.last.elapsed();
                let state = if !b.alive {
                    "dead"
                } else if b.busy && silent > stuck_after {
                    "stuck"
                } else {
                    return None;
                };
                Some(Unhealthy {
                    task: name,
                    state,
                    seconds_since_heartbeat: silent.as_secs(),
                    restarts: b.restarts,
                })
            })
            .collect()
    }
}

/// Aborts the task it holds when dropped (the supervisor aborted at shutdown takes its task
/// with it).
struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Runs the task `start` makes, and again whenever it ends or panics, after a short doubling
/// pause; until aborted.
pub fn supervise<F, Fut>(
    health: std::sync::Arc<crate::api::AppState>,
    name: &'static str,
    start: F,
) -> tokio::task::JoinHandle<()>
where
    F: Fn() -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    tokio::spawn(async move {
        let first = health.config.tasks.restart_backoff;
        let mut pause = first;
        loop {
            health.tasks.beat(name, false);
            let started = Instant::now();
            let mut task = AbortOnDrop(tokio::spawn(start()));
            let outcome = (&mut task.0).await;
            health.tasks.died(name);
            match outcome {
                Ok(()) => tracing::error!(task = name, "background task ended; restarting it"),
                Err(e) if e.is_panic() => {
                    tracing::error!(task = name, "background task panicked; restarting it")
                }
                Err(_) => return, // aborted
            }
            // A task that ran a good while before dying starts again at once.
            if started.elapsed() > Duration::from_secs(60) {
                pause = first;
            }
            tokio::time::sleep(pause).await;
            pause = (pause * 2).min(Duration::from_secs(30));
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_row_is_reported_and_the_caller_goes_on() {
        let r = run_row(Duration::from_secs(5), async {
            if std::hint::black_box(true) {
                panic!("header value has a line break");
            }
            1
        })
        .await;
        assert_eq!(
            r,
            Err(RowFailure::Panic("header value has a line break".into()))
        );
        let r = run_row(Duration::from_millis(50), async {
            tokio::time::sleep(Duration::from_secs(5)).await;
        })
        .await;
        assert_eq!(r, Err(RowFailure::Timeout));
        assert_eq!(run_row(Duration::from_secs(5), async { 2 }).await, Ok(2));
    }

    #[test]
    fn a_row_starts_only_while_the_lease_outlasts_it() {
        let t = Tuning {
            lease: Duration::from_secs(10),
            row_timeout: Duration::from_secs(7),
            ..Tuning::default()
        };
        assert!(t.lease_holds_for_a_row(Instant::now()));
        let late = Instant::now() - Duration::from_secs(2);
        assert!(!t.lease_holds_for_a_row(late));
    }

    #[test]
    fn a_silent_task_is_stuck_only_while_it_has_work() {
        let h = Health::default();
        h.beat("mailer", false);
        std::thread::sleep(Duration::from_millis(20));
        assert!(h.unhealthy(Duration::from_millis(10)).is_empty());
        h.beat("mailer", true);
        std::thread::sleep(Duration::from_millis(20));
        let bad = h.unhealthy(Duration::from_millis(10));
        assert_eq!(bad.len(), 1);
        assert_eq!((bad[0].task, bad[0].state), ("mailer", "stuck"));
        h.died("mailer");
        assert_eq!(h.unhealthy(Duration::from_secs(60))[0].state, "dead");
    }
}
