-- Forwarding to osTicket: one row per message to deliver there (a ticket's first message
-- creates the osTicket ticket; later ones are follow-ups), written in the same transaction as
-- the message. Keyed by the message, so no generated id is needed (portable SQL).
CREATE TABLE forwards (
    message_id       BIGINT PRIMARY KEY REFERENCES messages (id),
    ticket_id        BIGINT NOT NULL REFERENCES tickets (id),
    -- `create` or `follow_up`.
    kind             TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    -- Set while a JSON create is on the wire; found set at start-up, the attempt's outcome is
    -- unknown (create = "json" only: that endpoint does not deduplicate).
    sending_since    TEXT,
    -- 1 when a JSON create was retried without knowing whether the first attempt made a ticket.
    in_doubt         INTEGER NOT NULL DEFAULT 0,
    done_at          TEXT,
    -- Why the last attempt failed: `config` (401/400: key, IP, URL), `rejected` (osTicket's
    -- 500: it refused the ticket) or `unavailable` (down, timeout, other 5xx); NULL otherwise.
    error_kind       TEXT,
    last_error       TEXT
);

CREATE INDEX forwards_due ON forwards (done_at, next_attempt_at);
