//! A real chamado-central in the test process (SQLite in a folder of the test's, HTTP on
//! loopback), for the tests of the app, the command line and the window (feature `central`).

use std::path::Path;

use chamado_central::{AppState, Config, Shared};

/// A real central on loopback (SQLite in `data`), on `addr` or a free port.
pub struct Central {
    pub url: String,
    pub state: Shared,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<()>,
}

impl Central {
    /// Central on `addr` (a free loopback port when `None`), with no rate limit to speak of.
    pub async fn start(data: &Path, addr: Option<std::net::SocketAddr>) -> Central {
        Central::start_with(data, addr, false).await
    }

    /// `rate_limited`: central's default limits per installation, as a vendor runs it.
    pub async fn start_with(
        data: &Path,
        addr: Option<std::net::SocketAddr>,
        rate_limited: bool,
    ) -> Central {
        let mut config = Config::standalone(data.to_owned());
        if !rate_limited {
            config.limits.rate_per_minute = 1_000_000;
            config.limits.rate_burst = 100_000;
            config.limits.enrol_per_minute = 1_000_000;
            config.limits.enrol_burst = 100_000;
        }
        let listener = tokio::net::TcpListener::bind(addr.unwrap_or(([127, 0, 0, 1], 0).into()))
            .await
            .unwrap();
        let addr = listener.local_addr().unwrap();
        config.public_url = format!("http://{addr}");
        let state = AppState::open(config).await.unwrap();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let s = state.clone();
        let task = tokio::spawn(async move {
            chamado_central::serve(s, listener, async {
                let _ = rx.await;
            })
            .await
            .unwrap();
        });
        Central {
            url: format!("http://{addr}"),
            state,
            stop: Some(tx),
            task,
        }
    }

    /// Stops serving and closes the database, so that another central can open the same files
    /// at once (Windows refuses to share a file still open).
    pub async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        let _ = self.task.await;
        self.state.db.close().await;
    }

    pub async fn code(&self) -> String {
        self.state
            .db
            .create_enrolment_code("Cliente Ltda", 30)
            .await
            .unwrap()
    }

    /// The thread of the ticket `reference` (or number): each message's author, text and files.
    pub async fn thread(&self, reference: &str) -> Vec<(String, String, Vec<String>)> {
        let t = self
            .state
            .db
            .ticket(reference, None)
            .await
            .unwrap()
            .expect("the ticket exists");
        self.state
            .db
            .thread(t.id)
            .await
            .unwrap()
            .into_iter()
            .map(|m| {
                let files = m.attachments.into_iter().map(|a| a.name).collect();
                (m.author, m.body, files)
            })
            .collect()
    }

    /// The vendor replies to the ticket `reference` (or number), as `chamado-central admin
    /// reply` does (no e-mail).
    pub async fn reply(&self, reference: &str, text: &str) {
        chamado_central::admin::reply(&self.state.db, reference, text, false)
            .await
            .unwrap();
    }

    /// The ticket's status set, as `chamado-central admin status` does.
    pub async fn set_status(&self, reference: &str, status: chamado_central::db::Status) {
        chamado_central::admin::status(&self.state.db, reference, status)
            .await
            .unwrap();
    }

    pub async fn summaries(&self) -> Vec<String> {
        let tickets = self.state.db.tickets(None, None).await.unwrap();
        tickets.into_iter().map(|t| t.summary).collect()
    }
}
