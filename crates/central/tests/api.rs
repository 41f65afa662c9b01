//! The API over real HTTP against the real router, with the file store on disk; every test runs
//! on SQLite and on PostgreSQL (`sqlite::NAME`, `postgres::NAME`).

#[macro_use]
mod common;

on_both_databases!(
    health_and_readiness,
    enrolment_gives_a_token_stored_only_hashed,
    enrolment_refuses_bad_codes_and_names_missing_fields,
    every_authenticated_route_answers_401_json_without_a_valid_token,
    profile_is_the_builtin_one_with_a_version_and_etag,
    profile_comes_from_the_configured_file_and_follows_its_changes,
    a_ticket_is_taken_with_its_bundle_stored_by_content,
    the_same_idempotency_key_makes_one_ticket_however_many_arrive_at_once,
    a_key_reused_for_another_ticket_is_refused,
    malformed_tickets_are_refused_naming_the_field,
    an_oversize_bundle_is_refused_with_413_json_and_nothing_is_kept,
    messages_with_attachments_are_added_to_open_tickets_only,
    an_installation_over_its_rate_gets_429_with_retry_after,
    the_openapi_document_lists_every_route_and_every_route_exists,
    metrics_count_tickets_and_latencies,
    the_customer_replies_from_the_quick_access_page_with_attachments,
    a_technician_attaches_a_bundle_checked_against_the_tickets_email,
);

use common::*;
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};

async fn health_and_readiness(db: Db) {
    let c = start_on(db).await;
    let res = c
        .http
        .get(format!("{}/healthz", c.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "ok");
    let res = c
        .http
        .get(format!("{}/readyz", c.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
}

async fn enrolment_gives_a_token_stored_only_hashed(db: Db) {
    let c = start_on(db).await;
    let token = c.enrol("Padaria Pão Quente Ltda").await;
    assert!(token.starts_with("cht_"));
    let res = c.get(&token, "/v1/profile").send().await.unwrap();
    assert_eq!(res.status(), 200);
    // Neither the token nor the code is anywhere in the database files.
    for entry in std::fs::read_dir(c.dir.path().join("data"))
        .unwrap()
        .flatten()
    {
        if entry.path().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            let hay = String::from_utf8_lossy(&bytes);
            assert!(
                !hay.contains(&token),
                "token in clear in {:?}",
                entry.path()
            );
        }
    }
    let list = c.state.db.installations().await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].company, "Padaria Pão Quente Ltda");
}

async fn enrolment_refuses_bad_codes_and_names_missing_fields(db: Db) {
    let c = start_on(db).await;
    let url = format!("{}/v1/enrolments", c.url);
    let res = c
        .http
        .post(&url)
        .json(&json!({"code": "AAAAA-BBBBB-CCCCC", "machine": "PC"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "unauthorized");

    let res = c
        .http
        .post(&url)
        .json(&json!({"machine": "PC"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(res.json::<Value>().await.unwrap()["field"], "code");

    let res = c
        .http
        .post(&url)
        .json(&json!({"code": 12, "machine": "PC"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(res.json::<Value>().await.unwrap()["field"], "body.code");

    let res = c.http.post(&url).body("{not json").send().await.unwrap();
    assert_eq!(res.status(), 400);

    // A revoked code no longer enrols; a code typed in lower case with spaces still does.
    let code = c.state.db.create_enrolment_code("ACME", 30).await.unwrap();
    let typed = code.to_lowercase().replace('-', " ");
    let res = c
        .http
        .post(&url)
        .json(&json!({"code": typed, "machine": "PC"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    assert!(c.state.db.revoke_code(&code).await.unwrap());
    let res = c
        .http
        .post(&url)
        .json(&json!({"code": code, "machine": "PC"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
}

async fn every_authenticated_route_answers_401_json_without_a_valid_token(db: Db) {
    let c = start_on(db).await;
    let token = c.enrol("ACME").await;
    let id = c.state.db.installations().await.unwrap()[0].id;
    assert!(c.state.db.revoke_installation(id).await.unwrap());
    for bad in [None, Some("cht_unknown"), Some(token.as_str())] {
        for (method, path) in [
            ("GET", "/v1/profile"),
            ("GET", "/v1/tickets"),
            ("POST", "/v1/tickets"),
            ("GET", "/v1/tickets/CH-X"),
            ("POST", "/v1/tickets/CH-X/messages"),
        ] {
            let mut req = c
                .http
                .request(method.parse().unwrap(), format!("{}{path}", c.url));
            if let Some(t) = bad {
                req = req.bearer_auth(t);
            }
            let res = req.send().await.unwrap();
            assert_eq!(res.status(), 401, "{method} {path} with {bad:?}");
            assert_eq!(res.headers()["www-authenticate"], "Bearer");
            assert_eq!(res.json::<Value>().await.unwrap()["error"], "unauthorized");
        }
    }
}

async fn profile_is_the_builtin_one_with_a_version_and_etag(db: Db) {
    let c = start_on(db).await;
    let token = c.enrol("ACME").await;
    let res = c.get(&token, "/v1/profile").send().await.unwrap();
    let etag = res.headers()["etag"].to_str().unwrap().to_owned();
    let body: Value = res.json().await.unwrap();
    let builtin = serde_json::to_value(chamado_profile::builtin()).unwrap();
    assert_eq!(body["profile"], builtin);
    assert_eq!(etag, format!("\"{}\"", body["version"].as_str().unwrap()));
    let res = c
        .get(&token, "/v1/profile")
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 304);
}

async fn profile_comes_from_the_configured_file_and_follows_its_changes(db: Db) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("perfil.toml");
    std::fs::write(&path, chamado_profile::DEFAULT_TOML).unwrap();
    let p = path.clone();
    let c = start_on_with(db, move |cfg| cfg.profile = Some(p)).await;
    let token = c.enrol("ACME").await;
    let first: Value = c
        .get(&token, "/v1/profile")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        first["profile"]["vendor"]["name"],
        serde_json::to_value(chamado_profile::builtin()).unwrap()["vendor"]["name"]
    );

    let changed = chamado_profile::DEFAULT_TOML.replacen("[vendor]\n", "[vendor]\n# changed\n", 1);
    let builtin_name = chamado_profile::builtin().vendor.name;
    let changed = changed.replacen(
        &format!("name = \"{builtin_name}\""),
        "name = \"Outro Fornecedor\"",
        1,
    );
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&path, changed).unwrap();
    let f = std::fs::File::options().write(true).open(&path).unwrap();
    f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(5))
        .unwrap();
    let second: Value = c
        .get(&token, "/v1/profile")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(second["profile"]["vendor"]["name"], "Outro Fornecedor");
    assert_ne!(first["version"], second["version"]);

    // A broken edit keeps the last good profile served.
    std::fs::write(&path, "vendor = 3").unwrap();
    f.set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(10))
        .unwrap();
    let third: Value = c
        .get(&token, "/v1/profile")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(third["version"], second["version"]);
}

async fn a_ticket_is_taken_with_its_bundle_stored_by_content(db: Db) {
    let c = start_on(db).await;
    let token = c.enrol("ACME").await;
    let bundle = zip_bytes(300_000);
    let (status, body) = c
        .ticket(
            &token,
            "k-1",
            form_with_bundle(&ticket_json(), bundle.clone(), "../../diag\tnostico.zip"),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let reference = body["reference"].as_str().unwrap().to_owned();
    assert!(reference.starts_with("CH-"));
    let number = body["number"].as_str().unwrap();
    assert_eq!(number.len(), 11, "{number}");
    assert_eq!(body["status"], "open");
    let link = body["link"].as_str().unwrap();
    assert!(link.starts_with(&format!("{}/t/{reference}/", c.url)));

    // The bundle is stored under its SHA-256, byte for byte.
    use sha2::Digest;
    let sha = hex::encode(sha2::Sha256::digest(&bundle));
    assert_eq!(c.state.blobs.read(&sha).await.unwrap(), bundle);
    assert_eq!(
        std::fs::read_dir(c.dir.path().join("data/tmp"))
            .unwrap()
            .count(),
        0
    );

    // The customer's list and the ticket with its thread.
    let list: Value = c
        .get(&token, "/v1/tickets")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["tickets"].as_array().unwrap().len(), 1);
    assert_eq!(list["tickets"][0]["reference"], reference.as_str());
    let t: Value = c
        .get(&token, &format!("/v1/tickets/{reference}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(t["thread"][0]["author"], "customer");
    assert_eq!(
        t["thread"][0]["body"],
        "Desde ontem aparece 'servidor indisponível'."
    );
    assert_eq!(t["thread"][0]["attachments"][0]["name"], "diagnostico.zip");
    assert_eq!(t["thread"][0]["attachments"][0]["size"], bundle.len());

    // Another installation sees none of it.
    let other = c.enrol("Outra Empresa").await;
    let list: Value = c
        .get(&other, "/v1/tickets")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["tickets"].as_array().unwrap().len(), 0);
    let res = c
        .get(&other, &format!("/v1/tickets/{reference}"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    // The quick-access page needs the link's key.
    let page = c.http.get(link).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["referrer-policy"], "no-referrer");
    assert!(page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .starts_with("default-src 'none'"));
    let html = page.text().await.unwrap();
    assert!(html.contains(number) && html.contains("servidor indispon"));
    assert!(html.contains("&#x27;servidor"), "escaped");
    let res = c
        .http
        .get(format!("{}/t/{reference}/wrong", c.url))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}

async fn the_same_idempotency_key_makes_one_ticket_however_many_arrive_at_once(db: Db) {
    let c = std::sync::Arc::new(start_on(db).await);
    let token = c.enrol("ACME").await;
    let n = 40;
    let mut tasks = Vec::new();
    for _ in 0..n {
        let c = c.clone();
        let token = token.clone();
        tasks.push(tokio::spawn(async move {
            c.ticket(
                &token,
                "same-key",
                form_with_bundle(&ticket_json(), zip_bytes(50_000), "b.zip"),
            )
            .await
        }));
    }
    let mut created = 0;
    let mut references = std::collections::BTreeSet::new();
    for t in tasks {
        let (status, body) = t.await.unwrap();
        assert!(status == 201 || status == 200, "{status} {body}");
        if status == 201 {
            created += 1;
        }
        references.insert(body["reference"].as_str().unwrap().to_owned());
    }
    assert_eq!(created, 1);
    assert_eq!(references.len(), 1);
    assert_eq!(c.state.db.tickets(None, None).await.unwrap().len(), 1);

    // Later retries too; the key is per installation.
    let (status, body) = c
        .ticket(
            &token,
            "same-key",
            form_with_bundle(&ticket_json(), zip_bytes(50_000), "b.zip"),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        body["reference"].as_str().unwrap(),
        references.iter().next().unwrap()
    );
    let other = c.enrol("Outra").await;
    let (status, _) = c.ticket(&other, "same-key", form(&ticket_json())).await;
    assert_eq!(status, 201);
}

async fn a_key_reused_for_another_ticket_is_refused(db: Db) {
    let c = start_on(db).await;
    let token = c.enrol("ACME").await;
    let (status, _) = c.ticket(&token, "k", form(&ticket_json())).await;
    assert_eq!(status, 201);
    let mut other = ticket_json();
    other["summary"] = json!("Outro assunto");
    let (status, body) = c.ticket(&token, "k", form(&other)).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"], "key_reused");
}

async fn malformed_tickets_are_refused_naming_the_field(db: Db) {
    let c = start_on(db).await;
    let token = c.enrol("ACME").await;
    let cases: Vec<(Value, &str)> = vec![
        (
            {
                let mut t = ticket_json();
                t.as_object_mut().unwrap().remove("topic");
                t
            },
            "ticket.topic",
        ),
        (
            {
                let mut t = ticket_json();
                t["summary"] = json!("");
                t
            },
            "ticket.summary",
        ),
        (
            {
                let mut t = ticket_json();
                t["summary"] = json!(42);
                t
            },
            "ticket.summary",
        ),
        (
            {
                let mut t = ticket_json();
                t["description"] = json!(null);
                t
            },
            "ticket.description",
        ),
        (
            {
                let mut t = ticket_json();
                t.as_object_mut().unwrap().remove("contact");
                t
            },
            "ticket.contact",
        ),
        (
            {
                let mut t = ticket_json();
                t["contact"]["email"] = json!("maria arroba cliente");
                t
            },
            "ticket.contact.email",
        ),
        (
            {
                let mut t = ticket_json();
                t["contact"]["name"] = json!(" ");
                t
            },
            "ticket.contact.name",
        ),
        (
            {
                let mut t = ticket_json();
                t["contact"]["phone"] = json!("9".repeat(50));
                t
            },
            "ticket.contact.phone",
        ),
        (
            {
                let mut t = ticket_json();
                t["fields"] = json!({"x": {"nested": 1}});
                t
            },
            "ticket.fields.x",
        ),
        (
            {
                let mut t = ticket_json();
                t["fields"] = json!([1]);
                t
            },
            "ticket.fields",
        ),
    ];
    for (i, (t, field)) in cases.into_iter().enumerate() {
        let (status, body) = c.ticket(&token, &format!("m{i}"), form(&t)).await;
        assert_eq!(status, 400, "{field}: {body}");
        assert_eq!(body["error"], "invalid");
        assert_eq!(body["field"], field, "{body}");
    }
    // Not JSON at all.
    let f = Form::new().part("ticket", Part::text("{oops"));
    let (status, body) = c.ticket(&token, "j", f).await;
    assert_eq!((status, body["field"].as_str()), (400, Some("ticket")));
    // No ticket part; an unknown part; a bundle that is not a zip.
    let (status, body) = c
        .ticket(
            &token,
            "n",
            Form::new().part("bundle", Part::bytes(zip_bytes(1)).file_name("b.zip")),
        )
        .await;
    assert_eq!((status, body["field"].as_str()), (400, Some("ticket")));
    let (status, body) = c
        .ticket(&token, "u", form(&ticket_json()).text("extra", "x"))
        .await;
    assert_eq!((status, body["field"].as_str()), (400, Some("extra")));
    let (status, body) = c
        .ticket(
            &token,
            "z",
            form_with_bundle(&ticket_json(), b"not a zip".to_vec(), "b.zip"),
        )
        .await;
    assert_eq!((status, body["field"].as_str()), (400, Some("bundle")));
    // No Idempotency-Key; not multipart.
    let res = c
        .post(&token, "/v1/tickets")
        .multipart(form(&ticket_json()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(
        res.json::<Value>().await.unwrap()["field"],
        "Idempotency-Key"
    );
    let res = c
        .post(&token, "/v1/tickets")
        .header("Idempotency-Key", "x")
        .json(&ticket_json())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(res.json::<Value>().await.unwrap()["field"], "body");
    assert_eq!(c.state.db.tickets(None, None).await.unwrap().len(), 0);
}

async fn an_oversize_bundle_is_refused_with_413_json_and_nothing_is_kept(db: Db) {
    let c = start_on(db).await;
    let token = c.enrol("ACME").await;
    // Announced by Content-Length: refused before the body is read.
    let (status, body) = c
        .ticket(
            &token,
            "big",
            form_with_bundle(&ticket_json(), zip_bytes(3 * 1024 * 1024), "b.zip"),
        )
        .await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["error"], "too_large");

    // Chunked (no length announced): counted while streamed, refused past the limit.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(c.addr).await.unwrap();
    let boundary = "XyZ";
    let head = format!(
        "POST /v1/tickets HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nIdempotency-Key: chunked\r\n\
         Content-Type: multipart/form-data; boundary={boundary}\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    s.write_all(head.as_bytes()).await.unwrap();
    let chunk = |data: &[u8]| {
        let mut v = format!("{:x}\r\n", data.len()).into_bytes();
        v.extend_from_slice(data);
        v.extend_from_slice(b"\r\n");
        v
    };
    let part = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"ticket\"\r\n\r\n{}\r\n--{boundary}\r\n\
         Content-Disposition: form-data; name=\"bundle\"; filename=\"b.zip\"\r\n\r\nPK\x05\x06",
        ticket_json()
    );
    s.write_all(&chunk(part.as_bytes())).await.unwrap();
    let block = vec![0u8; 64 * 1024];
    // Up to 1.25 MiB past the 1 MiB limit; the server may stop reading (and answer) earlier.
    for _ in 0..20 {
        if s.write_all(&chunk(&block)).await.is_err() {
            break;
        }
    }
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        s.read_to_end(&mut answer),
    )
    .await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("\"too_large\""), "{answer}");
    assert_eq!(c.state.db.tickets(None, None).await.unwrap().len(), 0);
    assert_eq!(
        std::fs::read_dir(c.dir.path().join("data/tmp"))
            .unwrap()
            .count(),
        0
    );
}

async fn messages_with_attachments_are_added_to_open_tickets_only(db: Db) {
    let c = start_on(db).await;
    let token = c.enrol("ACME").await;
    let (_, t) = c.ticket(&token, "k", form(&ticket_json())).await;
    let reference = t["reference"].as_str().unwrap();
    let path = format!("/v1/tickets/{reference}/messages");
    let msg = || {
        Form::new()
            .part(
                "message",
                Part::text(json!({"body": "Segue o print."}).to_string()),
            )
            .part(
                "attachment",
                Part::bytes(b"\x89PNG....".to_vec()).file_name("..\\..\\tela\t1.png"),
            )
            .part(
                "attachment",
                Part::bytes(b"log".to_vec()).file_name("/etc/passwd"),
            )
    };
    let res = c
        .post(&token, &path)
        .header("Idempotency-Key", "m1")
        .multipart(msg())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["attachments"][0]["name"], "tela1.png");
    assert_eq!(body["attachments"][1]["name"], "passwd");
    // Retried with the same key: added once.
    let again: Value = c
        .post(&token, &path)
        .header("Idempotency-Key", "m1")
        .multipart(msg())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(again["id"], body["id"]);
    let t: Value = c
        .get(&token, &format!("/v1/tickets/{reference}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(t["thread"].as_array().unwrap().len(), 2);
    assert_eq!(t["thread"][1]["attachments"].as_array().unwrap().len(), 2);

    // Missing body → 400 naming it; unknown ticket → 404; closed → 409.
    let res = c
        .post(&token, &path)
        .multipart(Form::new().part("message", Part::text("{}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(res.json::<Value>().await.unwrap()["field"], "message.body");
    let res = c
        .post(&token, "/v1/tickets/CH-NOPE/messages")
        .multipart(msg())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let id = c
        .state
        .db
        .ticket(reference, None)
        .await
        .unwrap()
        .unwrap()
        .id;
    c.state
        .db
        .set_status(id, chamado_central::db::Status::Closed)
        .await
        .unwrap();
    let res = c.post(&token, &path).multipart(msg()).send().await.unwrap();
    assert_eq!(res.status(), 409);
    assert_eq!(res.json::<Value>().await.unwrap()["error"], "closed");
}

async fn an_installation_over_its_rate_gets_429_with_retry_after(db: Db) {
    let c = start_on_with(db, |cfg| {
        // One a minute after the burst: however slow the machine, no token comes back mid-test.
        cfg.limits.rate_per_minute = 1;
        cfg.limits.rate_burst = 5;
    })
    .await;
    let token = c.enrol("ACME").await;
    let other = c.enrol("Outra").await;
    let mut statuses = Vec::new();
    let mut retry_after = None;
    for _ in 0..8 {
        let res = c.get(&token, "/v1/tickets").send().await.unwrap();
        statuses.push(res.status().as_u16());
        if res.status() == 429 {
            retry_after = res
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().to_owned());
            assert_eq!(res.json::<Value>().await.unwrap()["error"], "rate_limited");
        }
    }
    assert_eq!(&statuses[..5], &[200; 5]);
    assert!(statuses[5..].iter().all(|s| *s == 429), "{statuses:?}");
    let retry_after: u64 = retry_after.unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    // Per installation: another one is not affected.
    assert_eq!(
        c.get(&other, "/v1/tickets").send().await.unwrap().status(),
        200
    );
}

async fn the_openapi_document_lists_every_route_and_every_route_exists(db: Db) {
    let c = start_on(db).await;
    let doc: Value = c
        .http
        .get(format!("{}/openapi.json", c.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"].as_str().unwrap().get(..2), Some("3."));
    let mut documented = std::collections::BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if ["get", "post", "put", "delete", "patch"].contains(&method.as_str()) {
                documented.insert((method.clone(), path.clone()));
            }
        }
    }
    let routes: std::collections::BTreeSet<(String, String)> = chamado_central::api::ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    assert_eq!(documented, routes, "openapi.json and api::ROUTES differ");
    // Every route is served (no 404 for the route, no 405).
    for (method, path) in &routes {
        let url = format!(
            "{}{}",
            c.url,
            path.replace("{reference}", "CH-X").replace("{key}", "k")
        );
        let res = c
            .http
            .request(method.to_uppercase().parse().unwrap(), url)
            .send()
            .await
            .unwrap();
        assert_ne!(res.status(), 405, "{method} {path}");
        if res.status() == 404 {
            assert!(path.contains('{'), "{method} {path} is not routed");
        }
    }
}

async fn metrics_count_tickets_and_latencies(db: Db) {
    let c = start_on(db).await;
    let token = c.enrol("ACME").await;
    c.ticket(&token, "a", form(&ticket_json())).await;
    c.ticket(&token, "a", form(&ticket_json())).await;
    c.ticket(&token, "b", form(&ticket_json())).await;
    let text = c
        .http
        .get(format!("{}/metrics", c.url))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(text.contains("chamado_tickets_taken_total 2"), "{text}");
    assert!(text.contains("chamado_tickets_replayed_total 1"));
    assert!(text.contains("chamado_tickets_waiting 0"));
    assert!(text.contains("chamado_tickets{status=\"open\"} 2"));
    assert!(text.contains(
        "chamado_http_request_duration_seconds_count{method=\"POST\",route=\"/v1/tickets\",status=\"201\"} 2"
    ));
}

async fn the_customer_replies_from_the_quick_access_page_with_attachments(db: Db) {
    let c = start_on(db).await;
    let token = c.enrol("ACME").await;
    let (_, t) = c.ticket(&token, "k", form(&ticket_json())).await;
    let link = t["link"].as_str().unwrap().to_owned();
    let reference = t["reference"].as_str().unwrap().to_owned();
    let page = c
        .http
        .get(&link)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("<form method=\"post\" enctype=\"multipart/form-data\">"),
        "{page}"
    );

    // As a browser sends the form: the text, one file, and an empty file input.
    let no_redirect = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = Form::new()
        .text("body", "Segue a foto <da tela>.")
        .part(
            "attachment",
            Part::bytes(b"\x89PNG".to_vec()).file_name("C:\\Users\\ana\\tela.png"),
        )
        .part("attachment", Part::bytes(Vec::new()).file_name(""));
    let res = no_redirect
        .post(&link)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], link.trim_start_matches(&c.url));
    let page = c
        .http
        .get(&link)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Segue a foto &lt;da tela&gt;.") && page.contains("tela.png"),
        "{page}"
    );
    let t: Value = c
        .get(&token, &format!("/v1/tickets/{reference}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(t["thread"][1]["attachments"].as_array().unwrap().len(), 1);

    // A wrong key changes nothing; a closed ticket takes no reply.
    let res = no_redirect
        .post(format!("{}/t/{reference}/0000", c.url))
        .multipart(Form::new().text("body", "x"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    let id = c
        .state
        .db
        .ticket(&reference, None)
        .await
        .unwrap()
        .unwrap()
        .id;
    c.state
        .db
        .set_status(id, chamado_central::db::Status::Closed)
        .await
        .unwrap();
    let res = no_redirect
        .post(&link)
        .multipart(Form::new().text("body", "x"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    assert!(!c
        .http
        .get(&link)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .contains("<form"));
    assert_eq!(c.state.db.thread(id).await.unwrap().len(), 2);
}

async fn a_technician_attaches_a_bundle_checked_against_the_tickets_email(db: Db) {
    let c = start_on(db).await;
    let customer = c.enrol("ACME").await;
    let technician = c.enrol("Técnicos do Fornecedor").await;
    let (_, t) = c.ticket(&customer, "k", form(&ticket_json())).await;
    let number = t["number"].as_str().unwrap().to_owned();
    let reference = t["reference"].as_str().unwrap().to_owned();
    let send = |number: &str, email: &str, bundle: Option<Vec<u8>>| {
        let mut f = Form::new().text(
            "ticket",
            json!({"number": number, "email": email}).to_string(),
        );
        if let Some(b) = bundle {
            f = f.part("bundle", Part::bytes(b).file_name("../coleta.zip"));
        }
        c.post(&technician, "/v1/technician/bundles")
            .multipart(f)
            .send()
    };
    let res = send(&number, "MARIA@cliente.com.br", Some(zip_bytes(1000)))
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["reference"], reference.as_str());
    assert_eq!(body["bundle"]["name"], "coleta.zip");
    let t: Value = c
        .get(&customer, &format!("/v1/tickets/{reference}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(t["thread"][1]["author"], "technician");
    assert_eq!(t["thread"][1]["attachments"][0]["kind"], "bundle");

    // A wrong e-mail and an unknown number answer alike; the bundle is required.
    for (n, e) in [
        (number.as_str(), "outra@cliente.com.br"),
        ("2026-999999", "maria@cliente.com.br"),
    ] {
        let res = send(n, e, Some(zip_bytes(10))).await.unwrap();
        assert_eq!(res.status(), 404);
        assert_eq!(
            res.json::<Value>().await.unwrap()["message"],
            "no ticket with this number and e-mail"
        );
    }
    let res = send(&number, "maria@cliente.com.br", None).await.unwrap();
    assert_eq!(res.status(), 400);
    assert_eq!(res.json::<Value>().await.unwrap()["field"], "bundle");
    let res = send(
        &number,
        "maria@cliente.com.br",
        Some(b"MZ not a zip".to_vec()),
    )
    .await
    .unwrap();
    assert_eq!(res.status(), 400);
    // The refused attempts added nothing.
    let id = c
        .state
        .db
        .ticket(&reference, None)
        .await
        .unwrap()
        .unwrap()
        .id;
    assert_eq!(c.state.db.thread(id).await.unwrap().len(), 2);
}
