//! The vendor's notices, the latest version and the "resolveu" counts: published by the admin
//! commands, served to enrolled apps only, on SQLite and on PostgreSQL.

#[macro_use]
mod common;

on_both_databases!(
    notices_are_served_to_enrolled_apps_until_their_end,
    resolved_is_counted_per_topic_and_how,
    bad_input_is_refused_with_a_clear_error,
    unenrolled_apps_are_refused,
);

use chamado_central::admin::{self, AdminError};
use common::*;
use serde_json::{json, Value};

async fn notices_of(c: &Central, token: &str) -> Value {
    let res = c.get(token, "/v1/notices").send().await.unwrap();
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

async fn notices_are_served_to_enrolled_apps_until_their_end(db: Db) {
    let c = start_on(db).await;
    let token = c.enrol("ACME").await;
    let empty = notices_of(&c, &token).await;
    assert_eq!(empty, json!({"notices": [], "latest_version": null}));

    let db = &c.state.db;
    let general = admin::notice_add(db, "  Manutenção do servidor hoje às 22h  ", None, None)
        .await
        .unwrap();
    let later = (time::OffsetDateTime::now_utc() + time::Duration::hours(2))
        .to_offset(time::UtcOffset::from_hms(-3, 0, 0).unwrap())
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let topical = admin::notice_add(
        db,
        "Versão 8.5 em liberação",
        Some("atualizacao"),
        Some(&later),
    )
    .await
    .unwrap();
    // One that ended a minute ago (the admin command refuses a past end, so straight in).
    db.add_notice("Já passou", None, Some("2020-01-01T00:00:00Z"))
        .await
        .unwrap();
    admin::release(db, "8.5.0").await.unwrap();

    let got = notices_of(&c, &token).await;
    let list = got["notices"].as_array().unwrap();
    assert_eq!(list.len(), 2, "the ended notice is not served: {got}");
    assert_eq!(list[0]["id"], topical, "newest first");
    assert_eq!(list[0]["topic"], "atualizacao");
    let until = list[0]["until"].as_str().unwrap();
    assert!(until.ends_with('Z'), "stored in UTC: {until}");
    assert_eq!(list[1]["id"], general);
    assert_eq!(list[1]["text"], "Manutenção do servidor hoje às 22h");
    assert_eq!(list[1]["topic"], Value::Null);
    assert_eq!(got["latest_version"], "8.5.0");

    // The admin's list shows every notice, the ended one marked.
    let listed: Value = serde_json::from_str(&admin::notice_list(db, true).await.unwrap()).unwrap();
    let states: Vec<bool> = listed["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["current"].as_bool().unwrap())
        .collect();
    assert_eq!(states, [false, true, true]);
    assert!(admin::notice_list(db, false)
        .await
        .unwrap()
        .contains("ended"));

    admin::notice_remove(db, general).await.unwrap();
    assert!(matches!(
        admin::notice_remove(db, general).await,
        Err(AdminError::NoNotice(_))
    ));
    let got = notices_of(&c, &token).await;
    assert_eq!(got["notices"].as_array().unwrap().len(), 1);
    admin::release(db, "8.5.1.7").await.unwrap();
    assert_eq!(notices_of(&c, &token).await["latest_version"], "8.5.1.7");
}

async fn resolved_is_counted_per_topic_and_how(db: Db) {
    let c = start_on(db).await;
    let one = c.enrol("ACME").await;
    let other = c.enrol("Outra").await;
    for (token, topic, how) in [
        (&one, "sem-conexao", "guide"),
        (&other, "sem-conexao", "guide"),
        (&one, "sem-conexao", "checks"),
        (&one, "impressao", "guide"),
    ] {
        let res = c
            .post(token, "/v1/resolved")
            .json(&json!({"topic": topic, "how": how}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 204);
    }
    let stats: Value =
        serde_json::from_str(&admin::stats(&c.state.db, true).await.unwrap()).unwrap();
    assert_eq!(
        stats["resolved"],
        json!({"sem-conexao": {"guide": 2, "checks": 1}, "impressao": {"guide": 1}})
    );
    let text = admin::stats(&c.state.db, false).await.unwrap();
    assert!(
        text.lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>() == ["sem-conexao", "2", "1", "3"]),
        "{text}"
    );
}

async fn bad_input_is_refused_with_a_clear_error(db: Db) {
    let c = start_on(db).await;
    let token = c.enrol("ACME").await;
    for (body, field, words) in [
        (json!({"how": "guide"}), "topic", "required"),
        (
            json!({"topic": "Sem Conexão", "how": "guide"}),
            "topic",
            "topic id",
        ),
        (
            json!({"topic": "x".repeat(65), "how": "guide"}),
            "topic",
            "topic id",
        ),
        (
            json!({"topic": "sem-conexao", "how": "sorte"}),
            "body.how",
            "unknown variant",
        ),
        (json!({"topic": "sem-conexao"}), "body", "how"),
    ] {
        let res = c
            .post(&token, "/v1/resolved")
            .json(&body)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 400, "{body}");
        let e: Value = res.json().await.unwrap();
        assert_eq!(e["error"], "invalid");
        assert_eq!(e["field"], field, "{body}: {e}");
        assert!(e["message"].as_str().unwrap().contains(words), "{e}");
    }
    let res = c
        .post(&token, "/v1/resolved")
        .body(format!("{{\"topic\":\"{}\"}}", "a".repeat(2000)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 413);
    assert!(c.state.db.resolved_counts().await.unwrap().is_empty());

    let db = &c.state.db;
    let invalid = |r: Result<i64, AdminError>| match r {
        Err(AdminError::Invalid(m)) => m,
        other => panic!("not refused: {other:?}"),
    };
    assert!(invalid(admin::notice_add(db, "   ", None, None).await).contains("--text"));
    assert!(
        invalid(admin::notice_add(db, &"á".repeat(501), None, None).await).contains("at most 500")
    );
    assert!(invalid(admin::notice_add(db, "a\u{1b}[31m", None, None).await).contains("control"));
    assert!(
        invalid(admin::notice_add(db, "Aviso", Some("Sem Conexão"), None).await)
            .contains("--topic")
    );
    assert!(
        invalid(admin::notice_add(db, "Aviso", None, Some("amanhã")).await).contains("RFC 3339")
    );
    assert!(
        invalid(admin::notice_add(db, "Aviso", None, Some("2020-01-01T00:00:00Z")).await)
            .contains("in the past")
    );
    for bad in ["", "v8", "8..1", "1.2.3.4.5", "8.4-", "8.4-beta!"] {
        match admin::release(db, bad).await {
            Err(AdminError::Invalid(m)) => assert!(m.contains("--version"), "{m}"),
            other => panic!("{bad} not refused: {other:?}"),
        }
    }
    admin::release(db, "8.5.0-beta1").await.unwrap();
    assert!(db.notices(false).await.unwrap().is_empty(), "nothing kept");
}

async fn unenrolled_apps_are_refused(db: Db) {
    let c = start_on(db).await;
    admin::notice_add(&c.state.db, "Aviso", None, None)
        .await
        .unwrap();
    for bad in [None, Some("cht_unknown")] {
        for req in [
            c.http.get(format!("{}/v1/notices", c.url)),
            c.http
                .post(format!("{}/v1/resolved", c.url))
                .json(&json!({"topic": "sem-conexao", "how": "guide"})),
        ] {
            let req = match bad {
                Some(t) => req.bearer_auth(t),
                None => req,
            };
            let res = req.send().await.unwrap();
            assert_eq!(res.status(), 401);
            assert_eq!(res.json::<Value>().await.unwrap()["error"], "unauthorized");
        }
    }
    assert!(c.state.db.resolved_counts().await.unwrap().is_empty());
}
