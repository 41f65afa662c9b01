//! Crashes on Windows: the Application log through the Windows Event Log API (`EvtQuery` newest
//! first, `EvtNext` with a timeout, `EvtRender` as XML), decoded by `decode_event_xml`.

use super::{decode_event_xml, Crashes, DAYS, MAX_EVENTS};
use crate::probe::{Gathered, ProbeProblem};

/// How long `EvtNext` may wait for the next batch.
const NEXT_TIMEOUT_MS: u32 = 2000;

pub fn gather() -> Gathered<Crashes> {
    let ms = u64::from(DAYS) * 24 * 3600 * 1000;
    let query = format!(
        "*[System[Provider[@Name='Application Error' or @Name='Windows Error Reporting' or @Name='.NET Runtime'] \
         and (EventID=1000 or EventID=1001 or EventID=1026) and TimeCreated[timediff(@SystemTime) <= {ms}]]]"
    );
    match read_events(&query) {
        Ok(xmls) => {
            let events = xmls.iter().filter_map(|x| decode_event_xml(x)).collect();
            (
                Some(Crashes {
                    source: "windows-event-log".into(),
                    days: DAYS,
                    events,
                }),
                Vec::new(),
            )
        }
        Err(e) => (
            None,
            vec![ProbeProblem::from_io("Application event log", &e)],
        ),
    }
}

/// The matching events of the Application log as XML, newest first, at most `MAX_EVENTS * 2`
/// (some may not decode).
#[allow(unsafe_code)] // Win32 FFI: every handle is closed, buffers are sized as the API says.
fn read_events(query: &str) -> std::io::Result<Vec<String>> {
    use windows_sys::Win32::Foundation::{ERROR_INSUFFICIENT_BUFFER, ERROR_NO_MORE_ITEMS};
    use windows_sys::Win32::System::EventLog::{
        EvtNext, EvtQuery, EvtQueryChannelPath, EvtQueryReverseDirection, EvtRender,
        EvtRenderEventXml,
    };
    let wide = |s: &str| {
        s.encode_utf16()
            .chain(std::iter::once(0))
            .collect::<Vec<u16>>()
    };
    let (path, query) = (wide("Application"), wide(query));
    let results = unsafe {
        EvtQuery(
            0,
            path.as_ptr(),
            query.as_ptr(),
            EvtQueryChannelPath | EvtQueryReverseDirection,
        )
    };
    if results == 0 {
        return Err(std::io::Error::last_os_error());
    }
    let results = Handle(results);
    let mut out = Vec::new();
    let mut buffer: Vec<u16> = vec![0; 8192];
    'batches: while out.len() < MAX_EVENTS * 2 {
        let mut handles = [0isize; 16];
        let mut returned = 0u32;
        let ok = unsafe {
            EvtNext(
                results.0,
                handles.len() as u32,
                handles.as_mut_ptr(),
                NEXT_TIMEOUT_MS,
                0,
                &mut returned,
            )
        };
        if ok == 0 {
            let e = std::io::Error::last_os_error();
            if e.raw_os_error() == Some(ERROR_NO_MORE_ITEMS as i32) {
                break 'batches;
            }
            return if out.is_empty() { Err(e) } else { Ok(out) };
        }
        for event in handles[..returned as usize].iter().map(|&h| Handle(h)) {
            let (mut used, mut count) = (0u32, 0u32);
            let render = |buffer: &mut Vec<u16>, used: &mut u32, count: &mut u32| unsafe {
                EvtRender(
                    0,
                    event.0,
                    EvtRenderEventXml,
                    (buffer.len() * 2) as u32,
                    buffer.as_mut_ptr().cast(),
                    used,
                    count,
                )
            };
            let mut ok = render(&mut buffer, &mut used, &mut count);
            if ok == 0
                && std::io::Error::last_os_error().raw_os_error()
                    == Some(ERROR_INSUFFICIENT_BUFFER as i32)
            {
                buffer.resize((used as usize).div_ceil(2), 0);
                ok = render(&mut buffer, &mut used, &mut count);
            }
            if ok != 0 {
                // `used` is in bytes and counts the final NUL.
                let chars = (used as usize / 2).min(buffer.len());
                let text = String::from_utf16_lossy(&buffer[..chars]);
                out.push(text.trim_end_matches('\0').to_owned());
            }
        }
    }
    Ok(out)
}

/// An event log handle, closed when dropped.
struct Handle(isize);

impl Drop for Handle {
    #[allow(unsafe_code)] // The handle came from the API and is closed once.
    fn drop(&mut self) {
        unsafe { windows_sys::Win32::System::EventLog::EvtClose(self.0) };
    }
}
