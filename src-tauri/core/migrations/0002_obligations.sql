-- Réclamations, schema 2: the procedure's obligations become rules (docs/PROCEDURE.md
-- « Obligations »). Decisions get their own append-only history; letters remember the decision
-- they announce and the answer date they state; clocks remember why they stopped.

-- Every decision taken on a complaint, the appeals committee's included: never updated, a new
-- decision is a new row. The complainant's reasons and the firm's are two texts: a letter to
-- one party never quotes the reasons written for the other.
CREATE TABLE decisions (
    id           INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    seq          INTEGER NOT NULL,
    -- A decision (expert, dismissed, warning, appeals_committee) or, decided by the committee,
    -- its outcome (suspension, withdrawal, no_sanction).
    kind         TEXT NOT NULL CHECK (kind IN ('expert', 'dismissed', 'warning', 'appeals_committee',
                                               'suspension', 'withdrawal', 'no_sanction')),
    decided_by   TEXT NOT NULL CHECK (decided_by IN ('qualification_manager', 'certification_manager',
                                                     'investigator', 'appeals_committee', 'unknown')),
    -- The instructeur's name when he decided; empty otherwise.
    decider_name TEXT NOT NULL DEFAULT '',
    decided_on   TEXT NOT NULL,
    reasons_complainant TEXT NOT NULL,
    reasons_firm        TEXT NOT NULL,
    -- The committee's outcome: the qualifications or certifications concerned.
    scope        TEXT NOT NULL DEFAULT '',
    -- Decided without waiting for an awaited answer: why.
    waiver       TEXT NOT NULL DEFAULT '',
    -- Recorded before schema 2, from the complaint's single decision: its letters were never
    -- checked, and both reasons are the one text then typed.
    legacy       INTEGER NOT NULL DEFAULT 0 CHECK (legacy IN (0, 1)),
    recorded_at  TEXT NOT NULL,
    author       TEXT NOT NULL,
    UNIQUE (complaint_id, seq)
) STRICT;
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN
    SELECT RAISE(ABORT, 'une décision ne se modifie pas : enregistrez-en une nouvelle');
END;

INSERT INTO decisions (complaint_id, seq, kind, decided_by, decided_on, reasons_complainant, reasons_firm,
                       legacy, recorded_at, author)
SELECT id, 1, decision,
       CASE manager WHEN 'qualification' THEN 'qualification_manager'
                    WHEN 'certification' THEN 'certification_manager' ELSE 'unknown' END,
       coalesce(decided_on, substr(created_at, 1, 10)), decision_reasons, decision_reasons,
       1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'migration'
FROM complaints WHERE decision <> '';
INSERT INTO decisions (complaint_id, seq, kind, decided_by, decided_on, reasons_complainant, reasons_firm,
                       scope, legacy, recorded_at, author)
SELECT id, 2, committee_outcome, 'appeals_committee',
       coalesce(committee_on, decided_on, substr(created_at, 1, 10)), committee_reasons, committee_reasons,
       committee_scope, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'migration'
FROM complaints WHERE committee_outcome <> '';
CREATE INDEX decisions_complaint ON decisions (complaint_id, seq);

-- The decision a decision letter announces, and the answer date a letter states (the clock it
-- starts keeps that date, so that the letter and the clock never disagree).
ALTER TABLE documents ADD COLUMN decision_id INTEGER REFERENCES decisions (id);
ALTER TABLE documents ADD COLUMN due_on TEXT;

-- Why a clock stopped: `answered`, `waived` (decided without waiting, the reason in the
-- journal), `closed`, or '' (stopped before schema 2). An answer arriving after a waiver can
-- still be recorded.
ALTER TABLE deadlines ADD COLUMN stop_reason TEXT NOT NULL DEFAULT '';
-- The letter whose sending started the clock, when one did.
ALTER TABLE deadlines ADD COLUMN document_id INTEGER REFERENCES documents (id);

-- Files decided, declared inadmissible or closed before schema 2: their history is kept as it
-- was, and no obligation is invented after the fact for what happened then.
ALTER TABLE complaints ADD COLUMN legacy_obligations INTEGER NOT NULL DEFAULT 0
    CHECK (legacy_obligations IN (0, 1));
UPDATE complaints SET legacy_obligations = 1
WHERE decision <> '' OR inadmissible_reason <> '' OR closed_on IS NOT NULL OR overrun_justification <> '';

-- A complainant who wrote by email and will be answered by email (no postal address needed).
ALTER TABLE complaints ADD COLUMN reply_by_email INTEGER NOT NULL DEFAULT 0 CHECK (reply_by_email IN (0, 1));
-- The expected date of the decision, given in the overrun letters.
ALTER TABLE complaints ADD COLUMN overrun_expected_on TEXT;
-- Closing for lack of précisions before their deadline lapsed needs an explicit reason.
ALTER TABLE complaints ADD COLUMN lack_of_details_reason TEXT NOT NULL DEFAULT '';
