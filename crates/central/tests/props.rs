//! Arbitrary input over real HTTP: whatever JSON a ticket part holds and whatever bytes a
//! multipart body is made of, central answers (a ticket, or a JSON error naming what is wrong),
//! never a 500, never a dropped connection from a panic.

mod common;

use std::sync::atomic::{AtomicU64, Ordering};

use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use reqwest::multipart::{Form, Part};
use serde_json::Value;

/// Any JSON value, nested a little.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        "[a-z@. \n\u{202E}]{0,30}".prop_map(Value::String),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z]{1,8}|name|email|phone", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A good ticket with some of its fields (or the whole) replaced by arbitrary JSON.
fn ticket_part() -> impl Strategy<Value = String> {
    let keys = prop::sample::subsequence(
        vec![
            "topic",
            "summary",
            "description",
            "contact",
            "module",
            "fields",
            "priority",
        ],
        0..4,
    );
    prop_oneof![
        4 => (keys, prop::collection::vec(json(), 4)).prop_map(|(keys, values)| {
            let mut t = ticket_json();
            for (k, v) in keys.into_iter().zip(values) {
                t[k] = v;
            }
            t.to_string()
        }),
        1 => json().prop_map(|v| v.to_string()),
        1 => any::<String>(),
    ]
}

/// Multipart bytes: parts with names and headers that may be wrong, bodies of anything, the
/// boundary sometimes broken or missing, the end sometimes cut.
fn multipart_body() -> impl Strategy<Value = Vec<u8>> {
    let part = (
        prop_oneof![
            Just("ticket".to_owned()),
            Just("bundle".to_owned()),
            Just("message".to_owned()),
            Just("attachment".to_owned()),
            "[a-z\"\r\n ]{0,8}",
        ],
        prop::option::of("[a-zA-Z0-9.\u{202E} ]{0,12}"),
        prop_oneof![
            Just(br#"{"body":"oi"}"#.to_vec()),
            Just(b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0".to_vec()),
            prop::collection::vec(any::<u8>(), 0..200),
            ticket_part().prop_map(String::into_bytes),
        ],
        any::<bool>(),
    );
    (prop::collection::vec(part, 0..4), any::<bool>(), 0usize..50).prop_map(|(parts, end, cut)| {
        let mut body = Vec::new();
        for (name, file, content, crlf) in parts {
            body.extend_from_slice(b"--BOUNDARY\r\n");
            let disposition = match file {
                Some(f) => {
                    format!("content-disposition: form-data; name=\"{name}\"; filename=\"{f}\"\r\n")
                }
                None => format!("content-disposition: form-data; name=\"{name}\"\r\n"),
            };
            body.extend_from_slice(disposition.as_bytes());
            body.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
            body.extend_from_slice(&content);
            body.extend_from_slice(b"\r\n");
        }
        if end {
            body.extend_from_slice(b"--BOUNDARY--\r\n");
        } else {
            let keep = body.len().saturating_sub(cut);
            body.truncate(keep);
        }
        body
    })
}

/// An error answer is JSON with a code; anything but a server error.
fn judged(status: u16, body: &str) -> Result<(), TestCaseError> {
    prop_assert!(status < 500, "{status}: {body}");
    if status >= 400 {
        let v: Value = serde_json::from_str(body)
            .map_err(|e| TestCaseError::fail(format!("{status} not JSON ({e}): {body}")))?;
        prop_assert!(v["error"].as_str().is_some(), "{body}");
    }
    Ok(())
}

#[test]
fn a_ticket_part_of_any_json_is_taken_or_refused_never_a_500() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (c, token) = rt.block_on(async {
        let c = start().await;
        let token = c.enrol("ACME").await;
        (c, token)
    });
    let n = AtomicU64::new(0);
    let taken = AtomicU64::new(0);
    let mut runner = TestRunner::new(Config::with_cases(200));
    runner
        .run(&ticket_part(), |ticket| {
            let key = format!("k{}", n.fetch_add(1, Ordering::Relaxed));
            let form = Form::new().part("ticket", Part::text(ticket));
            let (status, body) = rt.block_on(async {
                let res = c
                    .post(&token, "/v1/tickets")
                    .header("idempotency-key", key)
                    .multipart(form)
                    .send()
                    .await
                    .unwrap();
                (res.status().as_u16(), res.text().await.unwrap())
            });
            if status == 201 {
                taken.fetch_add(1, Ordering::Relaxed);
            }
            judged(status, &body)
        })
        .unwrap();
    // Both sides were tried: some tickets made it, most were refused.
    let taken = taken.into_inner();
    assert!(taken > 0 && taken < n.into_inner(), "{taken} taken");
    drop(c);
}

#[test]
fn any_multipart_body_is_answered_never_a_500() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (c, token, reference) = rt.block_on(async {
        let c = start().await;
        let token = c.enrol("ACME").await;
        let (status, body) = c.ticket(&token, "first", form(&ticket_json())).await;
        assert_eq!(status, 201);
        let reference = body["reference"].as_str().unwrap().to_owned();
        (c, token, reference)
    });
    let n = AtomicU64::new(0);
    let routes = [
        "/v1/tickets".to_owned(),
        format!("/v1/tickets/{reference}/messages"),
        "/v1/technician/bundles".to_owned(),
    ];
    let mut runner = TestRunner::new(Config::with_cases(200));
    runner
        .run(&(multipart_body(), 0usize..3), |(body, route)| {
            let key = format!("m{}", n.fetch_add(1, Ordering::Relaxed));
            let (status, text) = rt.block_on(async {
                let res = c
                    .post(&token, &routes[route])
                    .header("idempotency-key", key)
                    .header("content-type", "multipart/form-data; boundary=BOUNDARY")
                    .body(body)
                    .send()
                    .await
                    .unwrap();
                (res.status().as_u16(), res.text().await.unwrap())
            });
            judged(status, &text)
        })
        .unwrap();
    drop(c);
}
