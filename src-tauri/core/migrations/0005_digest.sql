-- Register digest (docs/ARCHITECTURE.md « Register digest »): an append-only record of the
-- leaves of the register-wide Merkle tree — one per complaint chain head, per purged
-- complaint's trace and per purge — and of each day's root. A leaf row holds from its day on,
-- until a later row for the same key; the root of a day is recomputed from these rows.
CREATE TABLE digest_leaves (
    id           INTEGER PRIMARY KEY,
    on_day       TEXT NOT NULL,
    -- The complaint's reference (its chain, then its purge trace), or « purge:00000001 ».
    key          TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('complaint', 'purged', 'purge')),
    -- Not a foreign key: the complaint may be purged since.
    complaint_id INTEGER,
    -- A chain's number of entries (its head is entry n° entries), a purge's complaints.
    entries      INTEGER NOT NULL,
    -- A chain's head hash, or the SHA-256 of the trace's row.
    head         TEXT NOT NULL
) STRICT;
CREATE INDEX digest_leaves_key ON digest_leaves (key, id);
CREATE INDEX digest_leaves_day ON digest_leaves (on_day);

-- One row per day a digest was computed (the first letter, report or check of the day).
CREATE TABLE digest_days (
    on_day       TEXT PRIMARY KEY NOT NULL,
    root         TEXT NOT NULL,
    complaints   INTEGER NOT NULL,
    leaves       INTEGER NOT NULL,
    -- max(journal.id) and max(purge_log.id) when computed: the next day starts from there.
    journal_mark INTEGER NOT NULL,
    purge_mark   INTEGER NOT NULL,
    computed_at  TEXT NOT NULL
) STRICT;

CREATE TRIGGER digest_leaves_no_update BEFORE UPDATE ON digest_leaves
BEGIN
    SELECT RAISE(ABORT, 'l''historique des empreintes ne se modifie pas');
END;
CREATE TRIGGER digest_leaves_no_delete BEFORE DELETE ON digest_leaves
BEGIN
    SELECT RAISE(ABORT, 'l''historique des empreintes ne se modifie pas');
END;
CREATE TRIGGER digest_days_no_update BEFORE UPDATE ON digest_days
BEGIN
    SELECT RAISE(ABORT, 'l''historique des empreintes ne se modifie pas');
END;
CREATE TRIGGER digest_days_no_delete BEFORE DELETE ON digest_days
BEGIN
    SELECT RAISE(ABORT, 'l''historique des empreintes ne se modifie pas');
END;
