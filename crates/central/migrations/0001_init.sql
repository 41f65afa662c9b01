-- chamado-central's first schema. Times are RFC 3339 UTC text; secrets are stored as SHA-256 hex.

CREATE TABLE enrolment_codes (
    id          INTEGER PRIMARY KEY,
    code_hash   TEXT NOT NULL UNIQUE,
    company     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    revoked_at  TEXT
);

CREATE TABLE installations (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    company     TEXT NOT NULL,
    machine     TEXT NOT NULL,
    code_id     INTEGER NOT NULL REFERENCES enrolment_codes (id),
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);

CREATE TABLE tickets (
    id               INTEGER PRIMARY KEY,
    reference        TEXT NOT NULL UNIQUE,
    installation_id  INTEGER NOT NULL REFERENCES installations (id),
    idempotency_key  TEXT NOT NULL,
    -- SHA-256 of the request (ticket JSON and bundle digest): a key reused for another ticket is refused.
    request_hash     TEXT NOT NULL,
    number           TEXT UNIQUE,
    -- The secret in the customer's quick-access link.
    access_key       TEXT NOT NULL,
    status           TEXT NOT NULL,
    topic            TEXT NOT NULL,
    summary          TEXT NOT NULL,
    contact_name     TEXT NOT NULL,
    contact_email    TEXT NOT NULL,
    contact_phone    TEXT,
    module           TEXT,
    fields           TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (installation_id, idempotency_key)
);

-- The thread: the ticket's description is its first message.
CREATE TABLE messages (
    id               INTEGER PRIMARY KEY,
    ticket_id        INTEGER NOT NULL REFERENCES tickets (id),
    author           TEXT NOT NULL,
    body             TEXT NOT NULL,
    idempotency_key  TEXT,
    created_at       TEXT NOT NULL,
    UNIQUE (ticket_id, idempotency_key)
);

-- Files are stored on disk by content (blobs/ab/abcdef...); rows name them.
CREATE TABLE attachments (
    id          INTEGER PRIMARY KEY,
    message_id  INTEGER NOT NULL REFERENCES messages (id),
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    size        INTEGER NOT NULL
);

CREATE INDEX tickets_by_installation ON tickets (installation_id, id);
CREATE INDEX messages_by_ticket ON messages (ticket_id, id);
CREATE INDEX attachments_by_message ON attachments (message_id);
