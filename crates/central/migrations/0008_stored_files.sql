-- With PostgreSQL, uploaded files live in the database, in chunks, so that any number of centrals
-- share them and none keeps state of its own. With SQLite they stay on disk (`blobs/`) and these
-- tables stay empty.
CREATE TABLE stored_files (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE stored_file_chunks (
    sha256 TEXT NOT NULL REFERENCES stored_files (sha256) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (sha256, seq)
);
-- Secrets every central on the database shares: the key that signs download links.
CREATE TABLE shared_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
