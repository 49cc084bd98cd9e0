-- Corrections of what intake recorded (schema 9): each corrected field of a complaint, with its
-- old and new values, why (a typing error, or a change such as a move) and the journal entry
-- that states it in the hash chain; a letter sent before a correction that no longer meets its
-- obligation (sent to the wrong firm, or to a mistyped address) says why; the day the firm was
-- corrected after it had been informed (the new firm must be informed in its turn).
CREATE TABLE complaint_corrections (
    id           INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    journal_id   INTEGER NOT NULL REFERENCES journal (id),
    field        TEXT NOT NULL,
    label        TEXT NOT NULL,
    old_value    TEXT NOT NULL,
    new_value    TEXT NOT NULL,
    cause        TEXT NOT NULL CHECK (cause IN ('error', 'change')),
    corrected_on TEXT NOT NULL,
    author       TEXT NOT NULL
) STRICT;
CREATE INDEX complaint_corrections_complaint ON complaint_corrections (complaint_id, field);

ALTER TABLE documents ADD COLUMN superseded TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN firm_corrected_on TEXT;
