-- Réclamations, schema 1: the whole register (complaints, parties, journal, documents, deadlines, settings).
-- Dates are ISO text (YYYY-MM-DD), timestamps ISO 8601 with offset; both sort as text.
-- Frozen once released: later changes are new numbered files.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

-- Who works on the register (journal entries name them).
CREATE TABLE staff (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL,
    role   TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;
-- A first member so that the journal can name someone on first start; the real names are
-- entered in Paramètres.
INSERT INTO staff (name, role) VALUES ('Secrétariat', 'Secrétariat');

-- The firms register (« qualifiés / certifiés »).
CREATE TABLE firms (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    siret         TEXT UNIQUE,
    address_lines TEXT NOT NULL DEFAULT '',
    postcode      TEXT NOT NULL DEFAULT '',
    city          TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    is_qualified  INTEGER NOT NULL DEFAULT 0 CHECK (is_qualified IN (0, 1)),
    is_certified  INTEGER NOT NULL DEFAULT 0 CHECK (is_certified IN (0, 1)),
    is_rge        INTEGER NOT NULL DEFAULT 0 CHECK (is_rge IN (0, 1)),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;
CREATE INDEX firms_name ON firms (name COLLATE NOCASE);

-- Qualifications or certifications a firm holds, with their validity.
CREATE TABLE firm_qualifications (
    id          INTEGER PRIMARY KEY,
    firm_id     INTEGER NOT NULL REFERENCES firms (id),
    kind        TEXT NOT NULL CHECK (kind IN ('qualification', 'certification')),
    reference   TEXT NOT NULL,
    label       TEXT NOT NULL DEFAULT '',
    is_rge      INTEGER NOT NULL DEFAULT 0 CHECK (is_rge IN (0, 1)),
    valid_from  TEXT,
    valid_until TEXT
) STRICT;
CREATE INDEX firm_qualifications_firm ON firm_qualifications (firm_id);

-- Complainants: a client of the firm or a third party.
CREATE TABLE complainants (
    id            INTEGER PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('client', 'third_party')),
    civility      TEXT NOT NULL DEFAULT '' CHECK (civility IN ('', 'madame', 'monsieur')),
    name          TEXT NOT NULL,
    organisation  TEXT NOT NULL DEFAULT '',
    address_lines TEXT NOT NULL DEFAULT '',
    postcode      TEXT NOT NULL DEFAULT '',
    city          TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX complainants_name ON complainants (name COLLATE NOCASE);

-- References are never reused: the last sequence of each year is kept here,
-- even if complaints are later purged.
CREATE TABLE reference_sequences (
    year     INTEGER PRIMARY KEY,
    last_seq INTEGER NOT NULL
) STRICT;

CREATE TABLE complaints (
    id                INTEGER PRIMARY KEY,
    reference         TEXT NOT NULL UNIQUE,
    received_on       TEXT NOT NULL,
    channel           TEXT NOT NULL CHECK (channel IN ('letter', 'registered_letter', 'email')),
    registered_number TEXT NOT NULL DEFAULT '',
    email_subject     TEXT NOT NULL DEFAULT '',
    addressed_to      TEXT NOT NULL CHECK (addressed_to IN ('president', 'general_delegate', 'secretariat')),
    complainant_id    INTEGER NOT NULL REFERENCES complainants (id),
    firm_id           INTEGER NOT NULL REFERENCES firms (id),
    facts             TEXT NOT NULL DEFAULT '',
    actions_taken     TEXT NOT NULL DEFAULT '',
    nature_services   INTEGER NOT NULL DEFAULT 0 CHECK (nature_services IN (0, 1)),
    nature_ethics     INTEGER NOT NULL DEFAULT 0 CHECK (nature_ethics IN (0, 1)),
    nature_mark_use   INTEGER NOT NULL DEFAULT 0 CHECK (nature_mark_use IN (0, 1)),
    -- The four required elements, as confirmed by the secretariat.
    has_complainant_details INTEGER NOT NULL CHECK (has_complainant_details IN (0, 1)),
    has_firm_details        INTEGER NOT NULL CHECK (has_firm_details IN (0, 1)),
    has_facts               INTEGER NOT NULL CHECK (has_facts IN (0, 1)),
    has_actions_taken       INTEGER NOT NULL CHECK (has_actions_taken IN (0, 1)),
    -- Workflow: the current step and who handles it (Q or C manager).
    step              TEXT NOT NULL DEFAULT 'registered',
    manager           TEXT NOT NULL DEFAULT '' CHECK (manager IN ('', 'qualification', 'certification')),
    investigator      TEXT NOT NULL DEFAULT '',
    decision          TEXT NOT NULL DEFAULT '',
    decision_reasons  TEXT NOT NULL DEFAULT '',
    committee_outcome TEXT NOT NULL DEFAULT '',
    committee_scope   TEXT NOT NULL DEFAULT '',
    committee_reasons TEXT NOT NULL DEFAULT '',
    committee_on      TEXT,
    decided_on        TEXT,
    inadmissible_reason TEXT NOT NULL DEFAULT '',
    information_request TEXT NOT NULL DEFAULT '',
    overrun_justification TEXT NOT NULL DEFAULT '',
    expert_report_pending INTEGER NOT NULL DEFAULT 0 CHECK (expert_report_pending IN (0, 1)),
    closed_on         TEXT,
    created_at        TEXT NOT NULL,
    CHECK (nature_services + nature_ethics + nature_mark_use >= 1)
) STRICT;
CREATE INDEX complaints_received ON complaints (received_on DESC, id DESC);
CREATE INDEX complaints_firm ON complaints (firm_id, received_on);
CREATE INDEX complaints_step ON complaints (step);
CREATE INDEX complaints_complainant ON complaints (complainant_id);

-- Archived files: letters out and documents in, in the firm's file.
CREATE TABLE documents (
    id                INTEGER PRIMARY KEY,
    complaint_id      INTEGER REFERENCES complaints (id),
    firm_id           INTEGER REFERENCES firms (id),
    direction         TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    kind              TEXT NOT NULL,
    recipient         TEXT NOT NULL DEFAULT '',
    relative_path     TEXT NOT NULL UNIQUE,
    original_name     TEXT NOT NULL DEFAULT '',
    sha256            TEXT NOT NULL,
    size_bytes        INTEGER NOT NULL,
    template_version  INTEGER,
    -- The letter's content as rendered (JSON), to print the day's mail again in one PDF.
    letter_data       TEXT,
    created_at        TEXT NOT NULL,
    sent_on           TEXT,
    send_mode         TEXT NOT NULL DEFAULT '',
    registered_number TEXT NOT NULL DEFAULT '',
    ar_returned_on    TEXT
) STRICT;
CREATE INDEX documents_complaint ON documents (complaint_id);
CREATE INDEX documents_firm ON documents (firm_id);

-- Clocks: each started deadline with its start and due dates as computed
-- when it started (later changes to settings never move a notified date).
CREATE TABLE deadlines (
    id           INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    clock        TEXT NOT NULL,
    start_on     TEXT NOT NULL,
    months       INTEGER NOT NULL,
    due_on       TEXT NOT NULL,
    stopped_on   TEXT,
    -- For the overall clock: when an overrun was justified to both parties.
    justified_on TEXT,
    indicative   INTEGER NOT NULL DEFAULT 0 CHECK (indicative IN (0, 1))
) STRICT;
CREATE INDEX deadlines_open ON deadlines (due_on) WHERE stopped_on IS NULL;
CREATE INDEX deadlines_complaint ON deadlines (complaint_id);

-- The journal: append-only, one hash chain per complaint.
CREATE TABLE journal (
    id           INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    seq          INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    occurred_on  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    author       TEXT NOT NULL,
    summary      TEXT NOT NULL,
    details      TEXT NOT NULL DEFAULT '',
    participants TEXT NOT NULL DEFAULT '',
    step_from    TEXT,
    step_to      TEXT,
    document_id  INTEGER REFERENCES documents (id),
    corrects_id  INTEGER REFERENCES journal (id),
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL,
    UNIQUE (complaint_id, seq)
) STRICT;

CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
BEGIN
    SELECT RAISE(ABORT, 'le journal ne se modifie pas : ajoutez une correction');
END;

-- Letter wording the secretariat can edit: each save is a new version, never an overwrite,
-- so that every archived letter names the version that made it.
CREATE TABLE letter_templates (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    created_at TEXT NOT NULL,
    author     TEXT NOT NULL DEFAULT '',
    UNIQUE (kind, version)
) STRICT;

CREATE INDEX complaints_closed ON complaints (closed_on) WHERE closed_on IS NOT NULL;
CREATE INDEX documents_unsent ON documents (created_at) WHERE sent_on IS NULL AND direction = 'out';

-- Full-text search, accent- and case-insensitive (« lefevre » finds « Lefèvre »). One row per
-- complaint (rowid = complaints.id), rewritten by the store whenever the complaint's journal grows.
CREATE VIRTUAL TABLE complaints_fts USING fts5 (
    reference, parties, ids, body,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- What stays of a complaint after the retention purge: no personal data, only what the
-- annual statistics need.
CREATE TABLE purged_complaints (
    id                INTEGER PRIMARY KEY,
    reference         TEXT NOT NULL UNIQUE,
    firm_id           INTEGER REFERENCES firms (id),
    received_on       TEXT NOT NULL,
    closed_on         TEXT,
    channel           TEXT NOT NULL,
    addressed_to      TEXT NOT NULL,
    complainant_role  TEXT NOT NULL,
    nature_services   INTEGER NOT NULL,
    nature_ethics     INTEGER NOT NULL,
    nature_mark_use   INTEGER NOT NULL,
    decision          TEXT NOT NULL,
    committee_outcome TEXT NOT NULL,
    overrun_justified INTEGER NOT NULL,
    purged_on         TEXT NOT NULL
) STRICT;

-- Each purge, confirmed by a person.
CREATE TABLE purge_log (
    id         INTEGER PRIMARY KEY,
    purged_at  TEXT NOT NULL,
    purged_on  TEXT NOT NULL,
    author     TEXT NOT NULL,
    complaints INTEGER NOT NULL,
    documents  INTEGER NOT NULL,
    references_purged TEXT NOT NULL
) STRICT;
