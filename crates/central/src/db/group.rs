//! Group commit of ticket intake on SQLite. Each ticket must be on disk before central answers
//! 201 (`synchronous = FULL`: a sync per commit), and one writer connection commits one after
//! another: alone, each ticket would pay a sync. Here the intakes waiting when the writer is free
//! go in one transaction, each in its own savepoint (one failing rolls back only itself), and
//! one commit, one sync, makes them all durable; then each gets its answer. Nothing waits for a
//! batch to fill: a lone ticket commits at once.

use tokio::sync::{mpsc, oneshot};

use super::{take_in, DbError, FileRef, Intake, NewTicket, Queue};
use sqlx::AnyPool;

/// Most intakes in one transaction.
const BATCH_MAX: usize = 64;

pub(super) struct Job {
    pub installation: i64,
    pub key: String,
    pub hash: String,
    pub ticket: NewTicket,
    pub bundle: Option<FileRef>,
    pub queue: Queue,
    pub reply: oneshot::Sender<Result<Intake, DbError>>,
}

/// Starts the committer on `write` (the one writer connection); it ends when every sender is
/// dropped.
pub(super) fn spawn(write: AnyPool) -> mpsc::Sender<Job> {
    let (tx, rx) = mpsc::channel(1024);
    tokio::spawn(run(write, rx));
    tx
}

async fn run(write: AnyPool, mut rx: mpsc::Receiver<Job>) {
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < BATCH_MAX {
            match rx.try_recv() {
                Ok(j) => jobs.push(j),
                Err(_) => break,
            }
        }
        match batch(&write, &jobs).await {
            Ok(results) => {
                for (job, r) in jobs.into_iter().zip(results) {
                    let _ = job.reply.send(r);
                }
            }
            // Nothing of the batch committed: each is told, and its retry finds nothing.
            Err(e) => {
                let text = e.to_string();
                for job in jobs {
                    let _ = job.reply.send(Err(DbError::Task(text.clone())));
                }
            }
        }
    }
}

async fn batch(write: &AnyPool, jobs: &[Job]) -> Result<Vec<Result<Intake, DbError>>, DbError> {
    let mut tx = write.begin_with("BEGIN IMMEDIATE").await?;
    let mut out = Vec::with_capacity(jobs.len());
    for j in jobs {
        sqlx::query("SAVEPOINT intake").execute(&mut *tx).await?;
        let r = take_in(
            &mut tx,
            j.installation,
            &j.key,
            &j.hash,
            &j.ticket,
            j.bundle.as_ref(),
            j.queue,
        )
        .await;
        if r.is_err() {
            sqlx::query("ROLLBACK TO intake").execute(&mut *tx).await?;
        }
        sqlx::query("RELEASE intake").execute(&mut *tx).await?;
        out.push(r);
    }
    tx.commit().await?;
    Ok(out)
}
