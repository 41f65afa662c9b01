//! Windows: the token is a generic credential in the user's Credential Manager (the vault
//! Windows protects with the user's logon), never a file. The data folder is not used.

// unsafe_code is allowed in this file only: the Credential Manager is a C API (CredWriteW,
// CredReadW, CredDeleteW, CredFree) over raw pointers, each call checked as documented below.
#![allow(unsafe_code)]

use std::path::Path;

use windows::core::{PCWSTR, PWSTR};
use windows::Win32::Foundation::ERROR_NOT_FOUND;
use windows::Win32::Security::Credentials::{
    CredDeleteW, CredFree, CredReadW, CredWriteW, CREDENTIALW, CRED_PERSIST_LOCAL_MACHINE,
    CRED_TYPE_GENERIC,
};

fn wide(s: &str) -> Vec<u16> {
    s.encode_utf16().chain(std::iter::once(0)).collect()
}

fn io(e: windows::core::Error) -> std::io::Error {
    std::io::Error::other(format!("Windows Credential Manager: {e}"))
}

fn not_found(e: &windows::core::Error) -> bool {
    e.code() == ERROR_NOT_FOUND.to_hresult()
}

pub fn load(_data_dir: &Path, target: &str) -> std::io::Result<Option<String>> {
    let name = wide(target);
    let mut cred: *mut CREDENTIALW = std::ptr::null_mut();
    // SAFETY: `name` is NUL-terminated and outlives the call; on success `cred` points to a
    // CREDENTIALW Windows allocated, read here and released with CredFree exactly once.
    unsafe {
        match CredReadW(PCWSTR(name.as_ptr()), CRED_TYPE_GENERIC, None, &mut cred) {
            Ok(()) => {}
            Err(e) if not_found(&e) => return Ok(None),
            Err(e) => return Err(io(e)),
        }
        let c = &*cred;
        let blob = if c.CredentialBlob.is_null() {
            Vec::new()
        } else {
            std::slice::from_raw_parts(c.CredentialBlob, c.CredentialBlobSize as usize).to_vec()
        };
        CredFree(cred.cast());
        String::from_utf8(blob)
            .map(Some)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    }
}

pub fn save(_data_dir: &Path, target: &str, token: &str) -> std::io::Result<()> {
    let mut name = wide(target);
    let mut user = wide("chamado");
    let mut blob = token.as_bytes().to_vec();
    let cred = CREDENTIALW {
        Type: CRED_TYPE_GENERIC,
        TargetName: PWSTR(name.as_mut_ptr()),
        UserName: PWSTR(user.as_mut_ptr()),
        CredentialBlobSize: u32::try_from(blob.len()).map_err(std::io::Error::other)?,
        CredentialBlob: blob.as_mut_ptr(),
        // Kept across logons, for this user on this computer only.
        Persist: CRED_PERSIST_LOCAL_MACHINE,
        ..CREDENTIALW::default()
    };
    // SAFETY: every pointer in `cred` points into a buffer alive until after the call; Windows
    // copies what it keeps.
    unsafe { CredWriteW(&cred, 0) }.map_err(io)
}

pub fn delete(_data_dir: &Path, target: &str) -> std::io::Result<()> {
    let name = wide(target);
    // SAFETY: `name` is NUL-terminated and outlives the call.
    match unsafe { CredDeleteW(PCWSTR(name.as_ptr()), CRED_TYPE_GENERIC, None) } {
        Err(e) if !not_found(&e) => Err(io(e)),
        _ => Ok(()),
    }
}
