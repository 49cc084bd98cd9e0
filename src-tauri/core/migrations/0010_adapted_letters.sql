-- Schema 10: a letter adapted for one file (its merged text edited before it was archived),
-- the template left as it was. The archived PDF and `letter_data` hold the adapted text; the
-- journal says so when the letter is generated.
ALTER TABLE documents ADD COLUMN adapted INTEGER NOT NULL DEFAULT 0 CHECK (adapted IN (0, 1));
