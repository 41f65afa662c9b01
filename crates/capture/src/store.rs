//! The screenshots of the ticket being prepared, kept in a folder so that a crash (or closing the
//! app) loses none of them, and so that the bundle takes exactly what the user reviewed.
//!
//! One folder per shot, named by its number (`0001`): `original.webp` (the capture, kept so the
//! user can change the edits; never sent), `final-<gen>.webp` (the edits applied: what is sent),
//! `thumb-<gen>.webp` and `shot.json` (what the shot is, its edits, its generation). `shot.json`
//! is written last (beside, then renamed): it commits an edit, and files of other generations are
//! leftovers removed afterwards. A shot is written whole into a hidden `.new-NNNN` folder and
//! renamed into place; hidden folders found at open are the remains of a crash and are removed.

use std::path::{Path, PathBuf};

use chamado_profile::Lang;
use image::RgbaImage;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::{
    decode_webp, encode_webp_lossless, encode_webp_lossless_all, thumbnail, EditError, Edits,
    MonitorInfo, Screenshot,
};

/// The largest thumbnail side the review screen shows.
pub const THUMB_MAX: (u32, u32) = (320, 180);

/// One stored screenshot, as `shot.json` holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShotInfo {
    /// Its number in the store: stable while the ticket is prepared, never reused.
    pub id: u32,
    pub monitor: MonitorInfo,
    /// One colour all over when captured (a protected or locked screen, or a window hidden from
    /// capture): the UI warns before it is sent.
    pub blank: bool,
    /// Size of the image as sent (after the crop).
    pub width: u32,
    pub height: u32,
    /// Size of the file as sent.
    pub bytes: u64,
    pub edits: Edits,
    /// Which `final-`/`thumb-` files are current (each edit makes the next).
    pub generation: u32,
}

/// A stored shot's file as the bundle takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinalShot {
    /// The name in the bundle: `tela-1.webp`, numbered in order.
    pub name: String,
    /// The edited image (lossless WebP).
    pub path: PathBuf,
    pub thumbnail: PathBuf,
}

/// What went wrong in the store; `code()` for the UI.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("no screenshot number {0}")]
    NoSuchShot(u32),
    #[error(transparent)]
    Edit(#[from] EditError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {detail}")]
    Corrupt { path: PathBuf, detail: String },
}

impl StoreError {
    pub fn code(&self) -> &'static str {
        match self {
            StoreError::NoSuchShot(_) => "no_such_shot",
            StoreError::Edit(e) => e.problem.code(),
            StoreError::Io { .. } => "storage",
            StoreError::Corrupt { .. } => "corrupt",
        }
    }

    /// For the user; storage errors name the file.
    pub fn message(&self, lang: Lang) -> String {
        let pt = lang == Lang::PtBr;
        match self {
            StoreError::NoSuchShot(n) if pt => format!("A captura de tela {n} não existe mais."),
            StoreError::NoSuchShot(n) => format!("Screenshot {n} no longer exists."),
            StoreError::Edit(e) => e.message(lang),
            StoreError::Io { path, source } if pt => {
                format!(
                    "Não foi possível gravar ou ler {}: {source}",
                    path.display()
                )
            }
            StoreError::Io { path, source } => {
                format!("Could not write or read {}: {source}", path.display())
            }
            StoreError::Corrupt { path, detail } if pt => {
                format!("O arquivo {} está danificado: {detail}", path.display())
            }
            StoreError::Corrupt { path, detail } => {
                format!("The file {} is damaged: {detail}", path.display())
            }
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The shots of one ticket in preparation, in `dir`.
#[derive(Debug, Clone)]
pub struct ShotStore {
    dir: PathBuf,
}

impl ShotStore {
    /// The store in `dir` (created when the first shot is added); remains of an interrupted write
    /// are removed.
    pub fn open(dir: impl Into<PathBuf>) -> ShotStore {
        let store = ShotStore { dir: dir.into() };
        if let Ok(entries) = std::fs::read_dir(&store.dir) {
            for e in entries.flatten() {
                if e.file_name().to_string_lossy().starts_with('.') {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
        store
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn shot_dir(&self, id: u32) -> PathBuf {
        self.dir.join(format!("{id:04}"))
    }

    /// Every stored shot, in the order taken. A folder without a readable `shot.json` is skipped.
    pub fn list(&self) -> Result<Vec<ShotInfo>, StoreError> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io(&self.dir)(e)),
        };
        let mut shots: Vec<ShotInfo> = entries
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .filter_map(|id| self.info(id).ok())
            .collect();
        shots.sort_by_key(|s| s.id);
        Ok(shots)
    }

    /// One shot's record.
    pub fn info(&self, id: u32) -> Result<ShotInfo, StoreError> {
        let path = self.shot_dir(id).join("shot.json");
        let bytes = std::fs::read(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => StoreError::NoSuchShot(id),
            _ => io(&path)(e),
        })?;
        serde_json::from_slice(&bytes).map_err(|e| StoreError::Corrupt {
            path,
            detail: e.to_string(),
        })
    }

    /// Stores new captures (encoded in parallel), after the ones already there.
    pub fn add(&self, shots: &[Screenshot]) -> Result<Vec<ShotInfo>, StoreError> {
        std::fs::create_dir_all(&self.dir).map_err(io(&self.dir))?;
        let images: Vec<&RgbaImage> = shots.iter().map(|s| &s.image).collect();
        let encoded = encode_webp_lossless_all(&images);
        let first = self.next_id()?;
        let mut added = Vec::with_capacity(shots.len());
        for (next, (shot, webp)) in (first..).zip(shots.iter().zip(encoded)) {
            let webp = webp.map_err(|e| StoreError::Corrupt {
                path: self.shot_dir(next),
                detail: e.to_string(),
            })?;
            let info = ShotInfo {
                id: next,
                monitor: shot.monitor.clone(),
                blank: shot.is_blank(),
                width: shot.image.width(),
                height: shot.image.height(),
                bytes: webp.len() as u64,
                edits: Edits::default(),
                generation: 0,
            };
            let new = self.dir.join(format!(".new-{next:04}"));
            let _ = std::fs::remove_dir_all(&new);
            std::fs::create_dir_all(&new).map_err(io(&new))?;
            write_file(&new.join("original.webp"), &webp)?;
            // Unedited, what is sent is the capture itself.
            write_file(&new.join("final-0.webp"), &webp)?;
            write_file(&new.join("thumb-0.webp"), &thumb(&shot.image, &new)?)?;
            write_json(&new.join("shot.json"), &info)?;
            let dest = self.shot_dir(next);
            std::fs::rename(&new, &dest).map_err(io(&dest))?;
            added.push(info);
        }
        sync_dir(&self.dir);
        Ok(added)
    }

    fn next_id(&self) -> Result<u32, StoreError> {
        let entries = std::fs::read_dir(&self.dir).map_err(io(&self.dir))?;
        let last = entries
            .flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
            .max();
        Ok(last.map_or(1, |n| n + 1))
    }

    /// Applies `edits` to the original pixels (hidden regions painted black, then the crop) and
    /// makes the shot's file and thumbnail again. Edits replace the previous ones: they are always
    /// relative to the capture. Refused edits change nothing.
    pub fn edit(&self, id: u32, edits: &Edits) -> Result<ShotInfo, StoreError> {
        let mut info = self.info(id)?;
        let dir = self.shot_dir(id);
        let original = dir.join("original.webp");
        let bytes = std::fs::read(&original).map_err(io(&original))?;
        let image = decode_webp(&bytes).map_err(|e| StoreError::Corrupt {
            path: original.clone(),
            detail: e.detail,
        })?;
        let edited = edits.apply(image)?;
        let webp = encode_webp_lossless(&edited).map_err(|e| StoreError::Corrupt {
            path: original,
            detail: e.to_string(),
        })?;
        let previous = info.generation;
        info.generation += 1;
        info.edits = edits.clone();
        info.width = edited.width();
        info.height = edited.height();
        info.bytes = webp.len() as u64;
        let g = info.generation;
        write_file(&dir.join(format!("final-{g}.webp")), &webp)?;
        write_file(&dir.join(format!("thumb-{g}.webp")), &thumb(&edited, &dir)?)?;
        write_json(&dir.join("shot.json"), &info)?;
        // Committed: the previous generation's files are leftovers.
        let _ = std::fs::remove_file(dir.join(format!("final-{previous}.webp")));
        let _ = std::fs::remove_file(dir.join(format!("thumb-{previous}.webp")));
        Ok(info)
    }

    /// Removes a shot (it will not be sent).
    pub fn remove(&self, id: u32) -> Result<(), StoreError> {
        let dir = self.shot_dir(id);
        if !dir.join("shot.json").exists() {
            return Err(StoreError::NoSuchShot(id));
        }
        // Renamed out of the list first: a crash half-way through leaves a hidden folder.
        let gone = self.dir.join(format!(".gone-{id:04}"));
        std::fs::rename(&dir, &gone).map_err(io(&dir))?;
        sync_dir(&self.dir);
        let _ = std::fs::remove_dir_all(&gone);
        Ok(())
    }

    /// Removes every shot (the ticket was sent or abandoned).
    pub fn clear(&self) -> Result<(), StoreError> {
        for shot in self.list()? {
            self.remove(shot.id)?;
        }
        Ok(())
    }

    /// The captured image, before any edit (for the editor).
    pub fn original(&self, id: u32) -> Result<Vec<u8>, StoreError> {
        self.info(id)?;
        let path = self.shot_dir(id).join("original.webp");
        std::fs::read(&path).map_err(io(&path))
    }

    /// The image as it will be sent (lossless WebP).
    pub fn edited(&self, id: u32) -> Result<Vec<u8>, StoreError> {
        let path = self.final_path(&self.info(id)?);
        std::fs::read(&path).map_err(io(&path))
    }

    /// The thumbnail of the image as it will be sent.
    pub fn thumbnail(&self, id: u32) -> Result<Vec<u8>, StoreError> {
        let path = self.thumb_path(&self.info(id)?);
        std::fs::read(&path).map_err(io(&path))
    }

    fn final_path(&self, info: &ShotInfo) -> PathBuf {
        self.shot_dir(info.id)
            .join(format!("final-{}.webp", info.generation))
    }

    fn thumb_path(&self, info: &ShotInfo) -> PathBuf {
        self.shot_dir(info.id)
            .join(format!("thumb-{}.webp", info.generation))
    }

    /// The files the bundle takes, in the order taken, named `tela-1.webp`, `tela-2.webp`, ...
    pub fn final_files(&self) -> Result<Vec<FinalShot>, StoreError> {
        Ok(self
            .list()?
            .iter()
            .enumerate()
            .map(|(i, info)| FinalShot {
                name: format!("tela-{}.webp", i + 1),
                path: self.final_path(info),
                thumbnail: self.thumb_path(info),
            })
            .collect())
    }
}

fn thumb(image: &RgbaImage, dir: &Path) -> Result<Vec<u8>, StoreError> {
    thumbnail(image, THUMB_MAX.0, THUMB_MAX.1)
        .map(|t| t.webp)
        .map_err(|e| StoreError::Corrupt {
            path: dir.to_path_buf(),
            detail: e.to_string(),
        })
}

fn write_json(path: &Path, info: &ShotInfo) -> Result<(), StoreError> {
    let json = serde_json::to_vec_pretty(info).expect("a ShotInfo serializes");
    write_file(path, &json)
}

/// Written beside, flushed and renamed over: a reader sees the old file or the new one. Only the
/// user may read it (a screenshot can show a customer's data).
fn write_file(path: &Path, bytes: &[u8]) -> Result<(), StoreError> {
    use std::io::Write;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let tmp = path.with_file_name(format!(".{name}.tmp"));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let write = || -> std::io::Result<()> {
        let mut file = options.open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(path)(e)
    })
}

fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Rect;

    fn shot(index: usize, w: u32, h: u32) -> Screenshot {
        let image = RgbaImage::from_fn(w, h, |x, y| {
            image::Rgba([(x * 3) as u8, (y * 7) as u8, (x ^ y) as u8, 255])
        });
        Screenshot {
            monitor: MonitorInfo {
                index,
                name: format!("m{index}"),
                x: 0,
                y: 0,
                width: w,
                height: h,
                primary: index == 0,
            },
            image,
        }
    }

    #[test]
    fn shots_survive_a_restart_and_edits_change_the_pixels_sent() {
        let tmp = tempfile::tempdir().unwrap();
        let store = ShotStore::open(tmp.path().join("screens"));
        assert!(store.list().unwrap().is_empty(), "no folder yet: no shots");
        let added = store.add(&[shot(0, 64, 40), shot(1, 30, 20)]).unwrap();
        assert_eq!(added.iter().map(|s| s.id).collect::<Vec<_>>(), [1, 2]);
        assert!(!added[0].blank);

        let store = ShotStore::open(tmp.path().join("screens"));
        assert_eq!(
            store.list().unwrap(),
            added,
            "a new store (a restart) sees them"
        );
        let original = decode_webp(&store.original(1).unwrap()).unwrap();
        assert_eq!(original, shot(0, 64, 40).image, "the capture, lossless");

        let edits = Edits {
            crop: Some(Rect::new(10, 5, 40, 30)),
            hide: vec![Rect::new(0, 0, 20, 15)],
            highlight: vec![],
        };
        let info = store.edit(1, &edits).unwrap();
        assert_eq!((info.width, info.height, info.generation), (40, 30, 1));
        let sent = decode_webp(&store.edited(1).unwrap()).unwrap();
        assert_eq!(sent, edits.apply(original.clone()).unwrap());
        assert_eq!(
            sent.get_pixel(0, 0).0,
            [0, 0, 0, 255],
            "hidden, in the file"
        );
        assert_eq!(sent.get_pixel(10, 10).0, original.get_pixel(20, 15).0);
        let thumb = decode_webp(&store.thumbnail(1).unwrap()).unwrap();
        assert_eq!(
            thumb.dimensions(),
            (40, 30),
            "the thumbnail is of the edited image"
        );

        // Edits are relative to the capture: new ones replace the old.
        let info = store.edit(1, &Edits::default()).unwrap();
        assert_eq!(decode_webp(&store.edited(1).unwrap()).unwrap(), original);
        assert_eq!(info.generation, 2);
        let files: Vec<String> = std::fs::read_dir(store.dir().join("0001"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.starts_with("final") || n.starts_with("thumb"))
            .collect();
        assert_eq!(files.len(), 2, "old generations removed: {files:?}");
    }

    #[test]
    fn refused_edits_change_nothing_and_name_the_rectangle() {
        let tmp = tempfile::tempdir().unwrap();
        let store = ShotStore::open(tmp.path());
        store.add(&[shot(0, 20, 10)]).unwrap();
        let before = store.edited(1).unwrap();
        let bad = Edits {
            crop: None,
            hide: vec![Rect::new(1, 1, 2, 2), Rect::new(25, 0, 3, 3)],
            highlight: vec![],
        };
        let err = store.edit(1, &bad).unwrap_err();
        assert_eq!(err.code(), "rect_outside_image");
        assert!(err.message(Lang::PtBr).starts_with("hide[1].x:"), "{err}");
        assert_eq!(store.edited(1).unwrap(), before);
        assert_eq!(store.info(1).unwrap().generation, 0);
        assert_eq!(
            store.edit(9, &Edits::default()).unwrap_err().code(),
            "no_such_shot"
        );
    }

    #[test]
    fn removed_shots_are_gone_and_numbers_are_not_reused() {
        let tmp = tempfile::tempdir().unwrap();
        let store = ShotStore::open(tmp.path());
        store.add(&[shot(0, 8, 8), shot(1, 8, 8)]).unwrap();
        store.remove(1).unwrap();
        assert_eq!(store.remove(1).unwrap_err().code(), "no_such_shot");
        let added = store.add(&[shot(0, 8, 8)]).unwrap();
        assert_eq!(added[0].id, 3);
        let files = store.final_files().unwrap();
        let names: Vec<_> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["tela-1.webp", "tela-2.webp"], "numbered as sent");
        assert!(files[0].path.ends_with("0002/final-0.webp"));
        assert!(files
            .iter()
            .all(|f| f.path.exists() && f.thumbnail.exists()));
        store.clear().unwrap();
        assert!(store.list().unwrap().is_empty());
    }

    #[test]
    fn remains_of_a_crash_are_cleared_and_a_broken_record_is_skipped() {
        let tmp = tempfile::tempdir().unwrap();
        let store = ShotStore::open(tmp.path());
        store.add(&[shot(0, 8, 8), shot(1, 8, 8)]).unwrap();
        std::fs::create_dir_all(tmp.path().join(".new-0003")).unwrap();
        std::fs::write(tmp.path().join("0002/shot.json"), b"{").unwrap();
        let store = ShotStore::open(tmp.path());
        assert!(!tmp.path().join(".new-0003").exists());
        let ids: Vec<u32> = store.list().unwrap().iter().map(|s| s.id).collect();
        assert_eq!(ids, [1]);
        assert_eq!(store.info(2).unwrap_err().code(), "corrupt");
    }

    #[test]
    fn a_one_colour_capture_is_flagged_blank() {
        let tmp = tempfile::tempdir().unwrap();
        let store = ShotStore::open(tmp.path());
        let mut s = shot(0, 16, 9);
        s.image = RgbaImage::from_pixel(16, 9, image::Rgba([0, 0, 0, 255]));
        assert!(store.add(&[s]).unwrap()[0].blank);
    }
}
