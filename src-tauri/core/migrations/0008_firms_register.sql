-- The firms register as the organisation keeps it (schema 8).
--
-- Each firm's number in the organisation (« N° qualifié »), unique when known; a search text
-- with accents and case folded, kept by triggers through the connection's `fold()` function
-- (registered by db::configure on every connection); the history of every correction to a firm
-- or one of its qualifications, append-only; each import of the register's export.

ALTER TABLE firms ADD COLUMN number TEXT;
CREATE UNIQUE INDEX firms_number ON firms (number) WHERE number IS NOT NULL;

-- fold(name number siret postcode city), and the number without its spaces.
ALTER TABLE firms ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE firms SET search_text = fold(name || ' ' || coalesce(number, '') || ' ' || coalesce(siret, '') || ' '
                                    || postcode || ' ' || city);
CREATE TRIGGER firms_search_text_insert AFTER INSERT ON firms BEGIN
    UPDATE firms SET search_text = fold(NEW.name || ' ' || coalesce(NEW.number, '') || ' ' || coalesce(NEW.siret, '')
                                        || ' ' || replace(coalesce(NEW.number, ''), ' ', '') || ' '
                                        || NEW.postcode || ' ' || NEW.city)
    WHERE id = NEW.id;
END;
CREATE TRIGGER firms_search_text_update AFTER UPDATE OF name, number, siret, postcode, city ON firms BEGIN
    UPDATE firms SET search_text = fold(NEW.name || ' ' || coalesce(NEW.number, '') || ' ' || coalesce(NEW.siret, '')
                                        || ' ' || replace(coalesce(NEW.number, ''), ' ', '') || ' '
                                        || NEW.postcode || ' ' || NEW.city)
    WHERE id = NEW.id;
END;

-- Each import applied: the file (name, SHA-256), who and when, and what it changed.
CREATE TABLE firm_imports (
    id                     INTEGER PRIMARY KEY,
    imported_at            TEXT NOT NULL,
    author                 TEXT NOT NULL,
    file_name              TEXT NOT NULL,
    sha256                 TEXT NOT NULL,
    format                 TEXT NOT NULL,
    firms_created          INTEGER NOT NULL,
    firms_changed          INTEGER NOT NULL,
    firms_unchanged        INTEGER NOT NULL,
    firms_absent           INTEGER NOT NULL,
    rows_refused           INTEGER NOT NULL,
    qualifications_added   INTEGER NOT NULL,
    qualifications_changed INTEGER NOT NULL,
    warnings               INTEGER NOT NULL
) STRICT;

-- What was recorded about a firm or one of its qualifications, and each later correction:
-- the field, its old and new values, who, when and why; by hand or by an import.
CREATE TABLE firm_history (
    id               INTEGER PRIMARY KEY,
    firm_id          INTEGER NOT NULL REFERENCES firms (id),
    qualification_id INTEGER REFERENCES firm_qualifications (id),
    at               TEXT NOT NULL,
    author           TEXT NOT NULL,
    field            TEXT NOT NULL,
    old_value        TEXT NOT NULL,
    new_value        TEXT NOT NULL,
    reason           TEXT NOT NULL,
    import_id        INTEGER REFERENCES firm_imports (id)
) STRICT;
CREATE INDEX firm_history_firm ON firm_history (firm_id, id);
CREATE TRIGGER firm_history_no_update BEFORE UPDATE ON firm_history BEGIN
    SELECT RAISE(ABORT, 'firm_history is append-only');
END;
CREATE TRIGGER firm_history_no_delete BEFORE DELETE ON firm_history BEGIN
    SELECT RAISE(ABORT, 'firm_history is append-only');
END;
-- A qualification is ended or corrected, never deleted: complaints and the committee name it.
CREATE TRIGGER firm_qualifications_no_delete BEFORE DELETE ON firm_qualifications BEGIN
    SELECT RAISE(ABORT, 'a qualification is ended, never deleted');
END;
CREATE INDEX firm_qualifications_firm_reference ON firm_qualifications (firm_id, reference);
-- An import without numbers nor SIRET matches a firm by its name within its postcode.
CREATE INDEX firms_postcode ON firms (postcode);
