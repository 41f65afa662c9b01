-- What central brings back from osTicket through the Chamado plugin (`create = "plugin"`).
-- Each analyst reply becomes one thread message: keyed by osTicket's thread entry id, so an
-- event and a poll that both read it, or two centrals, add it once.
CREATE TABLE osticket_entries (
    entry_id    BIGINT PRIMARY KEY,
    ticket_id   BIGINT NOT NULL REFERENCES tickets (id),
    message_id  BIGINT NOT NULL REFERENCES messages (id)
);
-- The plugin's events already taken (it may send one again after a crash); kept 30 days.
CREATE TABLE osticket_events (
    event_id     BIGINT PRIMARY KEY,
    received_at  TEXT NOT NULL
);
-- The fallback poll of each ticket: when it is next read from the plugin, and which central
-- holds it meanwhile (a lease, as the forwarder's rows).
ALTER TABLE tickets ADD COLUMN osticket_poll_at TEXT;
ALTER TABLE tickets ADD COLUMN poll_lease_until TEXT;
ALTER TABLE tickets ADD COLUMN poll_lease_owner TEXT;
CREATE INDEX tickets_osticket_poll ON tickets (status, osticket_poll_at);
