-- Réclamations, schema 4: emails in and out.
--
-- A received email (`email_in`) is archived byte for byte; each file it carried becomes a
-- document of its own, `attached_to` the email. A letter prepared « par courriel » gets a draft
-- `.eml` (`email_draft`, the PDF inside) that `carries` it, addressed to `email_to`; marking the
-- letter « envoyé par courriel » requires such a draft. A declaration form names the
-- intervenant it is addressed to (`intervenant_id`), for its address.
ALTER TABLE documents ADD COLUMN attached_to INTEGER REFERENCES documents (id);
ALTER TABLE documents ADD COLUMN carries INTEGER REFERENCES documents (id);
ALTER TABLE documents ADD COLUMN email_to TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN intervenant_id INTEGER REFERENCES intervenants (id);
CREATE INDEX documents_carries ON documents (carries) WHERE carries IS NOT NULL;
CREATE INDEX documents_attached_to ON documents (attached_to) WHERE attached_to IS NOT NULL;
