//! The batch's one file writer. Workers render in parallel and hand their finished files here,
//! so that a single thread creates every file of the month and keeps the journal: two threads
//! creating files in one folder make the kernel spin on that folder's lock, and on a disk
//! (unlike a RAM disk) that spinning cost more system time than the rendering cost user time.

use super::journal::{Journal, Line};
use super::manifest::{Entry, FileHash};
use crate::output;
use anyhow::{Context, Result, anyhow};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, sync_channel};
use std::thread::JoinHandle;

/// Documents waiting for the writer at most; a worker that finds the queue full waits, so
/// rendered bytes never pile up in memory faster than the disk takes them.
const QUEUE: usize = 64;

/// Documents the writer lands together: their journal lines go out in one append each side of
/// the moves, which spares two appends per file and keeps the journal ahead of the disk.
const GROUP: usize = 32;

/// One rendered file on its way to disk.
pub struct Pending {
    /// Path relative to the month's folder.
    pub rel: String,
    /// SHA-256 of `bytes`, as the journal and the manifest record it.
    pub sha256: String,
    /// The file's content.
    pub bytes: Vec<u8>,
}

/// What a worker hands over for one document: the files to write, then the entry to journal
/// once they are in place (None when nothing about the document needs journalling).
pub struct Landing {
    /// Files to write, in order.
    pub files: Vec<Pending>,
    /// The document's finished entry.
    pub done: Option<Entry>,
}

/// The writer thread and the end of its queue that workers send to.
pub struct Writer {
    sender: SyncSender<Landing>,
    thread: JoinHandle<Result<()>>,
}

impl Writer {
    /// Starts the writer for the month's folder `out_dir`, appending to `journal`.
    pub fn start(out_dir: &Path, journal: Journal) -> Result<Writer> {
        let (sender, receiver) = sync_channel(QUEUE);
        let out_dir = out_dir.to_path_buf();
        let thread = std::thread::Builder::new()
            .name("claimwright-writer".to_string())
            .spawn(move || land(&out_dir, journal, receiver))
            .context("cannot start the file writer")?;
        Ok(Writer { sender, thread })
    }

    /// Queues a document's files and entry; waits while the queue is full.
    pub fn send(&self, landing: Landing) -> Result<()> {
        // The writer only hangs up after an error, which `finish` reports.
        self.sender
            .send(landing)
            .map_err(|_| anyhow!("the file writer stopped"))
    }

    /// Waits until every queued file is on disk; the writer's own error comes first.
    pub fn finish(self) -> Result<()> {
        drop(self.sender);
        self.thread
            .join()
            .map_err(|_| anyhow!("the file writer stopped unexpectedly"))?
    }
}

/// The writer thread: lands documents in groups until every worker has hung up.
fn land(out_dir: &Path, journal: Journal, receiver: Receiver<Landing>) -> Result<()> {
    let mut group = Vec::with_capacity(GROUP);
    let mut folders = BTreeSet::new();
    while let Ok(first) = receiver.recv() {
        group.push(first);
        while group.len() < GROUP {
            match receiver.try_recv() {
                Ok(next) => group.push(next),
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
            }
        }
        land_group(out_dir, &journal, &mut group, &mut folders)?;
    }
    Ok(())
}

/// Journals every file of `group` as about to be written, moves them into place, then
/// journals the finished documents: at every instant the journal vouches for what is on disk.
fn land_group(
    out_dir: &Path,
    journal: &Journal,
    group: &mut Vec<Landing>,
    folders: &mut BTreeSet<PathBuf>,
) -> Result<()> {
    let writing: Vec<Line> = group
        .iter()
        .flat_map(|l| &l.files)
        .map(|f| {
            Line::Writing(FileHash {
                path: f.rel.clone(),
                sha256: f.sha256.clone(),
            })
        })
        .collect();
    journal.append(&writing)?;
    let mut done = Vec::with_capacity(group.len());
    for landing in group.drain(..) {
        for file in &landing.files {
            let path: PathBuf = out_dir.join(&file.rel);
            // A kind's folder is made, owner-only, with the first file that goes in it.
            if let Some(folder) = path.parent()
                && !folders.contains(folder)
            {
                output::create_private_dir(folder)?;
                folders.insert(folder.to_path_buf());
            }
            output::replace_file(&path, &file.bytes)?;
        }
        done.extend(landing.done.map(|e| Line::Done(Box::new(e))));
    }
    journal.append(&done)
}
