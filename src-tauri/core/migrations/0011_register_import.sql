-- Schema 11: the complaints of the register kept before the application (a spreadsheet) come in.
-- Each import applied is recorded (file, SHA-256, who, counts); each complaint it created keeps
-- its reference in the old register (unique: importing the same file again adds nothing) and the
-- import it came from, so that the procedure's obligations for the steps taken before it read
-- « antérieur à l'application » rather than being checked against letters the app never made.
CREATE TABLE register_imports (
    id            INTEGER PRIMARY KEY,
    imported_at   TEXT NOT NULL,
    author        TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    complaints    INTEGER NOT NULL,
    firms_created INTEGER NOT NULL,
    skipped       INTEGER NOT NULL
) STRICT;

ALTER TABLE complaints ADD COLUMN legacy_reference TEXT;
ALTER TABLE complaints ADD COLUMN register_import_id INTEGER REFERENCES register_imports (id);
CREATE UNIQUE INDEX complaints_legacy_reference ON complaints (legacy_reference)
    WHERE legacy_reference IS NOT NULL;

-- A purged complaint keeps its old reference in its anonymous trace: the same file imported
-- again after the purge does not bring it back.
ALTER TABLE purged_complaints ADD COLUMN legacy_reference TEXT;
