//! `bridge!`: the one table of the window's commands. From it come the Tauri commands (each one
//! line over chamado-app), the handler list, the names `build.rs` declares and the capability
//! allows (a test checks both), and their TypeScript functions in `ui/src/lib/bindings.ts`.
//!
//! Each entry is `fn name(app, arg: Type, ...) -> Ok { body }`: `app` is the [`chamado_app::App`];
//! the body answers `Result<Ok, AppError>`. An argument Tauri injects (the window) is marked
//! `as ""`; one whose TypeScript type ts-rs cannot name is given it (`as "Channel<X>"`).

macro_rules! bridge {
    ($(
        $(#[doc = $doc:literal])*
        fn $name:ident($app:ident $(, $arg:ident : $ty:ty $(as $ts:literal)?)*) -> $ok:ty $body:block
    )*) => {
        $(
            $(#[doc = $doc])*
            #[tauri::command]
            pub async fn $name(
                $app: tauri::State<'_, chamado_app::App>,
                $($arg: $ty),*
            ) -> Result<$ok, chamado_app::AppError> $body
        )*

        /// Every command's name, as Tauri and the capability know it.
        pub const COMMANDS: &[&str] = &[$(stringify!($name)),*];

        pub fn handler() -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }

        /// The TypeScript function of each command, over `invoke`.
        pub fn typescript() -> String {
            let cfg = ts_rs::Config::new();
            let mut out = String::new();
            $(
                let docs: &[&str] = &[$($doc),*];
                let args: Vec<(&str, String)> = vec![$((
                    stringify!($arg),
                    $crate::bridge::ts_type!(cfg, $ty $(, $ts)?),
                )),*];
                out.push_str(&$crate::bridge::function(
                    stringify!($name),
                    docs,
                    &args,
                    &<$ok as ts_rs::TS>::name(&cfg),
                ));
            )*
            out
        }
    };
}
pub(crate) use bridge;

/// An argument's TypeScript type: the one given (empty: injected by Tauri, not passed), else
/// what ts-rs names.
macro_rules! ts_type {
    ($cfg:ident, $ty:ty) => {
        <$ty as ts_rs::TS>::name(&$cfg)
    };
    ($cfg:ident, $ty:ty, $ts:literal) => {
        $ts.to_owned()
    };
}
pub(crate) use ts_type;

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `export function name(args): Promise<Ok> { return invoke('name', { args }); }`
pub fn function(name: &str, docs: &[&str], args: &[(&str, String)], ok: &str) -> String {
    let ok = if ok == "null" { "void" } else { ok };
    let passed: Vec<_> = args.iter().filter(|(_, ts)| !ts.is_empty()).collect();
    let params: Vec<String> = passed
        .iter()
        .map(|(a, ts)| format!("{}: {ts}", camel(a)))
        .collect();
    let keys: Vec<String> = passed.iter().map(|(a, _)| camel(a)).collect();
    let mut out = String::from("\n");
    if !docs.is_empty() {
        out.push_str("/**");
        for d in docs {
            out.push_str(&format!("\n *{}", d.trim_end()));
        }
        out.push_str("\n */\n");
    }
    out.push_str(&format!(
        "export function {}({}): Promise<{ok}> {{\n  return invoke<{ok}>('{name}'{});\n}}\n",
        camel(name),
        params.join(", "),
        if keys.is_empty() {
            String::new()
        } else {
            format!(", {{ {} }}", keys.join(", "))
        }
    ));
    out
}
