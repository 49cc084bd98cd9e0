-- Réclamations, schema 3: instructeurs and experts as real parties, declarations of no
-- conflict of interest, the expert's mission and clock, the committee's hearing and its outcome
-- per qualification written back to the firms register.

-- The instructeurs and experts the organisation calls on.
CREATE TABLE intervenants (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('investigator', 'expert')),
    civility      TEXT NOT NULL DEFAULT '' CHECK (civility IN ('', 'madame', 'monsieur')),
    name          TEXT NOT NULL,
    address_lines TEXT NOT NULL DEFAULT '',
    postcode      TEXT NOT NULL DEFAULT '',
    city          TEXT NOT NULL DEFAULT '',
    email         TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    speciality    TEXT NOT NULL DEFAULT '',
    active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at    TEXT NOT NULL
) STRICT;
CREATE INDEX intervenants_kind ON intervenants (kind, active, name COLLATE NOCASE);

-- Declarations of interests for one file: an intervenant (instructeur, expert) or a member of
-- staff (a Responsable). Append-only: a new declaration is a new row.
CREATE TABLE declarations (
    id              INTEGER PRIMARY KEY,
    complaint_id    INTEGER NOT NULL REFERENCES complaints (id),
    intervenant_id  INTEGER REFERENCES intervenants (id),
    staff_id        INTEGER REFERENCES staff (id),
    -- The person's name as declared (kept if the register changes).
    person_name     TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('investigator', 'expert', 'manager')),
    declared_on     TEXT NOT NULL,
    -- 1: declares a conflict of interest with the firm or the complainant.
    conflict        INTEGER NOT NULL CHECK (conflict IN (0, 1)),
    comment         TEXT NOT NULL DEFAULT '',
    document_id     INTEGER REFERENCES documents (id),
    recorded_at     TEXT NOT NULL,
    author          TEXT NOT NULL,
    CHECK ((intervenant_id IS NULL) <> (staff_id IS NULL))
) STRICT;
CREATE INDEX declarations_complaint ON declarations (complaint_id);
CREATE TRIGGER declarations_no_update BEFORE UPDATE ON declarations
BEGIN
    SELECT RAISE(ABORT, 'une déclaration ne se modifie pas : enregistrez-en une nouvelle');
END;

-- Who decides signs: a member of staff may be the Responsable des Qualifications or des
-- Certifications (or the Déléguée Générale) of the signatory settings.
ALTER TABLE staff ADD COLUMN signatory TEXT NOT NULL DEFAULT ''
    CHECK (signatory IN ('', 'general_delegate', 'qualification_manager', 'certification_manager'));

-- The instructeur and the expert of a file, from the register; the expert's mission.
ALTER TABLE complaints ADD COLUMN investigator_id INTEGER REFERENCES intervenants (id);
ALTER TABLE complaints ADD COLUMN expert_id INTEGER REFERENCES intervenants (id);
ALTER TABLE complaints ADD COLUMN expert_mission TEXT NOT NULL DEFAULT '';
ALTER TABLE complaints ADD COLUMN expert_appointed_on TEXT;
-- The appeals committee's hearing.
ALTER TABLE complaints ADD COLUMN committee_hearing_on TEXT;

-- The committee's outcome for each qualification or certification concerned.
CREATE TABLE committee_outcomes (
    id               INTEGER PRIMARY KEY,
    decision_id      INTEGER NOT NULL REFERENCES decisions (id),
    complaint_id     INTEGER NOT NULL REFERENCES complaints (id),
    qualification_id INTEGER NOT NULL REFERENCES firm_qualifications (id),
    outcome          TEXT NOT NULL CHECK (outcome IN ('maintained', 'suspended', 'withdrawn')),
    from_on          TEXT,
    until_on         TEXT,
    CHECK (outcome <> 'suspended' OR (from_on IS NOT NULL AND until_on IS NOT NULL AND from_on <= until_on)),
    CHECK (outcome <> 'withdrawn' OR from_on IS NOT NULL)
) STRICT;
CREATE INDEX committee_outcomes_complaint ON committee_outcomes (complaint_id);

-- A qualification's status written back by the committee: suspended between two dates, or
-- withdrawn from a date, with the complaint that led to it.
ALTER TABLE firm_qualifications ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'suspended', 'withdrawn'));
ALTER TABLE firm_qualifications ADD COLUMN status_from TEXT;
ALTER TABLE firm_qualifications ADD COLUMN status_until TEXT;
ALTER TABLE firm_qualifications ADD COLUMN status_complaint_id INTEGER REFERENCES complaints (id);
