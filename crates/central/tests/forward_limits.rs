//! What central sends osTicket stays within bounds: no redirect takes the API key to another
//! host, and the message has a size cap whatever the bundle holds.

mod common;

use std::sync::{Arc, Mutex};

use axum::http::{header, HeaderMap, StatusCode};
use common::*;

/// An "osTicket" whose API answers every request with a 307 to `to` (POST and body kept).
async fn redirecting_to(to: String) -> String {
    let app = axum::Router::new().fallback(move || {
        let to = to.clone();
        async move { (StatusCode::TEMPORARY_REDIRECT, [(header::LOCATION, to)]) }
    });
    serve(app).await
}

async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    url
}

/// The osTicket URL redirects to another host (here another port on loopback, and `localhost`
/// for 127.0.0.1): nothing reaches it, the API key least of all, and the queue says why.
#[tokio::test]
async fn the_api_key_never_follows_a_redirect_to_another_host() {
    let seen: Arc<Mutex<Vec<HeaderMap>>> = Arc::default();
    let elsewhere = {
        let seen = Arc::clone(&seen);
        serve(axum::Router::new().fallback(move |headers: HeaderMap| {
            let seen = Arc::clone(&seen);
            async move {
                seen.lock().unwrap().push(headers);
                "123456"
            }
        }))
        .await
    };
    let other_port = redirecting_to(format!("{elsewhere}/api/tickets.email")).await;
    let port = other_port.rsplit(':').next().unwrap().to_owned();
    let other_name = redirecting_to(format!("http://localhost:{port}/api/tickets.email")).await;
    for url in [other_port, other_name] {
        let c = start_with(|cfg| cfg.osticket = Some(osticket_config(&url))).await;
        let token = c.enrol("ACME").await;
        let (status, t) = c.ticket(&token, "k", form(&ticket_json())).await;
        assert_eq!(status, 201, "{t}");
        let reference = t["reference"].as_str().unwrap().to_owned();
        let problem = eventually("the attempt recorded", async || {
            c.state
                .db
                .forward_problems()
                .await
                .unwrap()
                .into_iter()
                .find(|p| p.reference == reference && p.last_error.is_some())
        })
        .await;
        assert_eq!(problem.error_kind.as_deref(), Some("config"));
        let error = problem.last_error.unwrap();
        assert!(error.contains("redirects to"), "{error}");
    }
    assert!(
        seen.lock().unwrap().is_empty(),
        "the other host got a request"
    );
}
