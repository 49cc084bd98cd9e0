-- The organisation's logo on every PDF (letters, day mail, statistics report, audit export
-- cover), chosen in Paramètres. One row at most; no row means the default logo shipped in
-- assets/. Kept in the database so that a backup carries it. `image` is always a PNG (a JPEG is
-- converted when chosen); `sha256` is the stored image's; `file_name` the file as chosen.
CREATE TABLE organisation_logo (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    image BLOB NOT NULL,
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    set_on TEXT NOT NULL
);
