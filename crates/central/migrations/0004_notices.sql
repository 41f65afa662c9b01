-- The vendor's notices to the apps (a known outage, a release in progress), the latest version of
-- the vendor's program, and how many customers a guide or the checks helped, per topic (counts
-- only: nothing says who).

CREATE TABLE notices (
    id          INTEGER PRIMARY KEY,
    body        TEXT NOT NULL,
    -- A profile topic's id; NULL for a notice about everything.
    topic       TEXT,
    created_at  TEXT NOT NULL,
    -- RFC 3339 UTC; NULL for a notice until removed.
    until       TEXT
);

CREATE TABLE releases (
    id          INTEGER PRIMARY KEY,
    version     TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE resolved_counts (
    topic  TEXT NOT NULL,
    -- `guide` or `checks`.
    how    TEXT NOT NULL,
    count  INTEGER NOT NULL,
    PRIMARY KEY (topic, how)
);
