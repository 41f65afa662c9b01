-- E-mails to send (confirmation of a ticket, the vendor's reply), written in the same transaction
-- as what they announce and sent by the server's mailer with retries.
CREATE TABLE outbox (
    id               INTEGER PRIMARY KEY,
    ticket_id        INTEGER NOT NULL REFERENCES tickets (id),
    message_id       INTEGER REFERENCES messages (id),
    kind             TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    sent_at          TEXT,
    last_error       TEXT
);

CREATE INDEX outbox_due ON outbox (sent_at, next_attempt_at);
