//! Linux: the window lives in libchamado_gui.so beside the executable and is loaded only when it
//! opens. Linked in, it would make the dynamic loader map and relocate WebKitGTK, JavaScriptCore,
//! GTK and their dependencies at every start, `chamado collect` included (about 40 MB of RSS).

use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chamado_profile::Lang;

/// The window's library, looked up beside the executable; `CHAMADO_GUI_LIB` names another file
/// (tests, packaging that keeps libraries elsewhere).
const LIBRARY: &str = "libchamado_gui.so";
/// Exit code when the window's library is missing or unusable.
pub const EXIT_NO_GUI: u8 = 3;

/// `chamado_gui_run_v1` in lib.rs: `--profile` and the data folder as bytes (pointer, length; a
/// null profile means none), the exit code back. The library's half is in lib.rs; change both
/// together (and the version in the name).
type Entry = unsafe extern "C" fn(*const u8, usize, *const u8, usize) -> u8;
const ENTRY: &[u8] = b"chamado_gui_run_v1\0";

/// Why the window could not be opened.
enum LoadError {
    Missing(PathBuf),
    Unloadable(PathBuf, String),
    Incompatible(PathBuf, String),
}

impl LoadError {
    fn message(&self, lang: Lang) -> String {
        let pt = lang == Lang::PtBr;
        let detail = match (self, pt) {
            (Self::Missing(p), true) => {
                format!("{} não foi encontrado. Reinstale o Chamado.", p.display())
            }
            (Self::Missing(p), false) => {
                format!("{} was not found. Reinstall Chamado.", p.display())
            }
            (Self::Unloadable(p, e), true) => format!(
                "{} não pôde ser carregado ({e}). Verifique se o WebKitGTK 4.1 \
                 (libwebkit2gtk-4.1-0) está instalado ou reinstale o Chamado.",
                p.display()
            ),
            (Self::Unloadable(p, e), false) => format!(
                "{} could not be loaded ({e}). Check that WebKitGTK 4.1 (libwebkit2gtk-4.1-0) is \
                 installed, or reinstall Chamado.",
                p.display()
            ),
            (Self::Incompatible(p, e), true) => format!(
                "{} não é desta versão do Chamado ({e}). Reinstale o Chamado.",
                p.display()
            ),
            (Self::Incompatible(p, e), false) => format!(
                "{} is not from this version of Chamado ({e}). Reinstall Chamado.",
                p.display()
            ),
        };
        if pt {
            format!(
                "chamado: não foi possível abrir a janela: {detail}\n\
                 (`chamado collect` e `chamado profile` funcionam sem ela.)"
            )
        } else {
            format!(
                "chamado: cannot open the window: {detail}\n\
                 (`chamado collect` and `chamado profile` work without it.)"
            )
        }
    }
}

/// Loads the window's library and runs the window; returns when it closes.
pub fn run(profile: Option<&Path>, data_dir: &Path, lang: Lang) -> ExitCode {
    let result = library_path().and_then(|library| call(&library, profile, data_dir));
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("{}", e.message(lang));
            ExitCode::from(EXIT_NO_GUI)
        }
    }
}

fn library_path() -> Result<PathBuf, LoadError> {
    if let Some(p) = std::env::var_os("CHAMADO_GUI_LIB").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(LIBRARY)))
        .ok_or_else(|| LoadError::Missing(PathBuf::from(LIBRARY)))
}

// unsafe_code is allowed here only: loading a library runs its initialisers, and calling through
// a looked-up symbol trusts its signature. Both are the binary's half of the dlopen boundary; the
// library is Chamado's own, built with this binary, its entry point versioned by name.
#[allow(unsafe_code)]
fn call(library: &Path, profile: Option<&Path>, data_dir: &Path) -> Result<u8, LoadError> {
    if !library.is_file() {
        return Err(LoadError::Missing(library.to_path_buf()));
    }
    // SAFETY: see above. RTLD_LAZY | RTLD_LOCAL: its symbols stay its own.
    let lib = unsafe { libloading::Library::new(library) }
        .map_err(|e| LoadError::Unloadable(library.to_path_buf(), e.to_string()))?;
    // SAFETY: `Entry` is the signature of `chamado_gui_run_v1` (lib.rs).
    let entry = unsafe { lib.get::<Entry>(ENTRY) }
        .map_err(|e| LoadError::Incompatible(library.to_path_buf(), e.to_string()))?;
    let profile = profile.map(|p| p.as_os_str().as_bytes());
    let data_dir = data_dir.as_os_str().as_bytes();
    // SAFETY: both byte regions outlive the call, as the entry point requires.
    let code = unsafe {
        entry(
            profile.map_or(std::ptr::null(), <[u8]>::as_ptr),
            profile.map_or(0, <[u8]>::len),
            data_dir.as_ptr(),
            data_dir.len(),
        )
    };
    // Never unloaded: the window's threads (WebKit's, the log writer) may outlive the call.
    std::mem::forget(lib);
    Ok(code)
}
