-- Réclamations, schema 12: registered numbers stored in one form, without spaces, like the
-- complaints' (« 1A12345678901 »); shown with them. Letters generated before stored them
-- spaced (« 1A 123 456 7890 1 »), so each number was found only as it had been typed.
UPDATE documents SET registered_number = upper(replace(registered_number, ' ', ''))
 WHERE instr(registered_number, ' ') > 0;

-- The search index now holds the letters' numbers too (store::search::reindex): the complaints
-- that have one are indexed again, with the same statement.
DELETE FROM complaints_fts
 WHERE rowid IN (SELECT complaint_id FROM documents WHERE registered_number <> '' AND complaint_id IS NOT NULL);
INSERT INTO complaints_fts (rowid, reference, parties, ids, body)
SELECT c.id, c.reference || ' ' || coalesce(c.legacy_reference, ''),
       p.name || ' ' || p.organisation || ' ' || f.name || ' ' || c.investigator,
       coalesce(f.siret, '') || ' ' || c.registered_number || ' ' || p.email || ' ' || f.email || ' ' ||
       coalesce((SELECT group_concat(d.registered_number, ' ') FROM documents d
                 WHERE d.complaint_id = c.id AND d.registered_number <> ''), ''),
       c.facts || ' ' || c.actions_taken || ' ' || c.email_subject || ' ' ||
       coalesce((SELECT group_concat(j.summary || ' ' || j.details || ' ' || j.participants, ' ')
                 FROM journal j WHERE j.complaint_id = c.id), '')
FROM complaints c JOIN complainants p ON p.id = c.complainant_id JOIN firms f ON f.id = c.firm_id
WHERE c.id IN (SELECT complaint_id FROM documents WHERE registered_number <> '' AND complaint_id IS NOT NULL);
