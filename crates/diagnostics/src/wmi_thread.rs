//! All WMI goes through one dedicated thread (Windows only). `WMIConnection` is not `Send`, its
//! enumerator waits forever, and the app's main thread is STA (tao): so one thread owns the
//! connections and answers requests over a channel; each caller waits only as long as its own
//! limit. A request that hangs gets its thread abandoned, and the next request starts a new one.

use std::collections::HashMap;
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::sync::Mutex;
use std::time::Duration;

/// A WMI value, owned and `Send` (the crate's `Variant` holds COM pointers).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Text(String),
    List(Vec<Value>),
}

impl Value {
    pub fn text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    pub fn u64(&self) -> Option<u64> {
        match self {
            Value::UInt(v) => Some(*v),
            Value::Int(v) => u64::try_from(*v).ok(),
            Value::Text(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    pub fn bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

pub type Row = HashMap<String, Value>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WmiError {
    #[error("WMI did not answer within {0:?}")]
    TimedOut(Duration),
    /// The namespace or class does not exist here (e.g. SecurityCenter2 on Windows Server).
    #[error("WMI namespace or class not found: {0}")]
    Missing(String),
    #[error("WMI access denied: {0}")]
    AccessDenied(String),
    #[error("WMI failed: {0}")]
    Failed(String),
}

impl WmiError {
    /// The probe's word for it; `namespace` says where.
    pub fn to_problem(&self, namespace: &str) -> crate::probe::ProbeProblem {
        use crate::probe::ProbeProblem as P;
        match self {
            WmiError::TimedOut(d) => P::TimedOut {
                after_ms: d.as_millis() as u64,
            },
            WmiError::Missing(what) if what == namespace => P::Missing { what: what.clone() },
            WmiError::Missing(what) => P::Missing {
                what: format!("{namespace}: {what}"),
            },
            WmiError::AccessDenied(what) => P::AccessDenied {
                what: format!("{namespace}: {what}"),
            },
            WmiError::Failed(detail) => P::Failed {
                what: namespace.into(),
                detail: detail.clone(),
            },
        }
    }
}

struct Request {
    namespace: String,
    query: String,
    reply: Sender<Result<Vec<Row>, WmiError>>,
}

static WORKER: Mutex<Option<Sender<Request>>> = Mutex::new(None);

/// Runs a WQL query in `namespace` (e.g. `root\SecurityCenter2`) within `limit`.
pub fn query(namespace: &str, query: &str, limit: Duration) -> Result<Vec<Row>, WmiError> {
    let (reply, answer) = channel();
    let request = Request {
        namespace: namespace.to_owned(),
        query: query.to_owned(),
        reply,
    };
    {
        let mut worker = WORKER.lock().unwrap_or_else(|e| e.into_inner());
        let sender = worker.get_or_insert_with(spawn);
        if let Err(std::sync::mpsc::SendError(request)) = sender.send(request) {
            // The thread died (a panic in COM code): start another.
            let fresh = spawn();
            let _ = fresh.send(request);
            *worker = Some(fresh);
        }
    }
    match answer.recv_timeout(limit) {
        Ok(result) => result,
        Err(RecvTimeoutError::Timeout) => {
            // That thread is stuck in WMI: leave it, the next request gets a new one.
            *WORKER.lock().unwrap_or_else(|e| e.into_inner()) = None;
            Err(WmiError::TimedOut(limit))
        }
        Err(RecvTimeoutError::Disconnected) => {
            Err(WmiError::Failed("the WMI thread stopped".into()))
        }
    }
}

fn spawn() -> Sender<Request> {
    let (tx, rx) = channel::<Request>();
    std::thread::Builder::new()
        .name("chamado-wmi".into())
        .spawn(move || {
            let mut connections: HashMap<String, wmi::WMIConnection> = HashMap::new();
            for req in rx {
                let result = run(&mut connections, &req.namespace, &req.query);
                let _ = req.reply.send(result);
            }
        })
        .expect("a thread for WMI");
    tx
}

fn run(
    connections: &mut HashMap<String, wmi::WMIConnection>,
    namespace: &str,
    query: &str,
) -> Result<Vec<Row>, WmiError> {
    if !connections.contains_key(namespace) {
        let conn = wmi::WMIConnection::with_namespace_path(namespace)
            .map_err(|e| classify(&e, namespace))?;
        connections.insert(namespace.to_owned(), conn);
    }
    let conn = &connections[namespace];
    let rows: Vec<HashMap<String, wmi::Variant>> =
        conn.raw_query(query).map_err(|e| classify(&e, query))?;
    let asked = columns(query);
    Ok(rows
        .into_iter()
        .map(|row| {
            row.into_iter()
                .map(|(k, v)| (as_asked(&asked, k), value(v)))
                .collect()
        })
        .collect())
}

/// The columns of `SELECT a, b FROM …` as the query spells them.
fn columns(query: &str) -> Vec<&str> {
    let upper = query.to_ascii_uppercase();
    let (Some(select), Some(from)) = (upper.find("SELECT"), upper.find(" FROM ")) else {
        return Vec::new();
    };
    query
        .get(select + 6..from)
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .collect()
}

/// WMI property names are case-insensitive and not every implementation keeps the class's case
/// (Wine answers `ProcessID` for `ProcessId`): rows are keyed as the query asked.
fn as_asked(asked: &[&str], key: String) -> String {
    match asked.iter().find(|a| a.eq_ignore_ascii_case(&key)) {
        Some(a) => (*a).to_owned(),
        None => key,
    }
}

fn value(v: wmi::Variant) -> Value {
    use wmi::Variant as V;
    match v {
        V::Empty | V::Null => Value::Null,
        V::String(s) => Value::Text(s),
        V::Bool(b) => Value::Bool(b),
        V::I1(n) => Value::Int(n.into()),
        V::I2(n) => Value::Int(n.into()),
        V::I4(n) => Value::Int(n.into()),
        V::I8(n) => Value::Int(n),
        V::UI1(n) => Value::UInt(n.into()),
        V::UI2(n) => Value::UInt(n.into()),
        V::UI4(n) => Value::UInt(n.into()),
        V::UI8(n) => Value::UInt(n),
        V::R4(f) => Value::Float(f.into()),
        V::R8(f) => Value::Float(f),
        V::Array(items) => Value::List(items.into_iter().map(value).collect()),
        _ => Value::Null,
    }
}

/// WBEM_E_INVALID_NAMESPACE, WBEM_E_INVALID_CLASS, WBEM_E_NOT_FOUND; WBEM_E_ACCESS_DENIED and
/// E_ACCESSDENIED.
fn classify(e: &wmi::WMIError, what: &str) -> WmiError {
    match e {
        wmi::WMIError::HResultError { hres } => match *hres as u32 {
            0x8004_100E | 0x8004_1010 | 0x8004_1002 => WmiError::Missing(what.to_owned()),
            0x8004_1003 | 0x8007_0005 => WmiError::AccessDenied(what.to_owned()),
            h => WmiError::Failed(format!("{what}: HRESULT {h:#010X}")),
        },
        other => WmiError::Failed(format!("{what}: {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_keyed_as_the_query_asked() {
        let asked = columns("SELECT ProcessId, Name FROM Win32_Process WHERE Name = 'a, b'");
        assert_eq!(asked, ["ProcessId", "Name"]);
        assert_eq!(as_asked(&asked, "ProcessID".into()), "ProcessId");
        assert_eq!(as_asked(&asked, "Other".into()), "Other");
        assert!(columns("not a query").is_empty());
    }
}
