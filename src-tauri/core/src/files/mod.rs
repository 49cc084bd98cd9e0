//! File effects: what the app writes to or deletes from disk beyond the database (dossier
//! exports, the purge's documents and backups). These modules call `store` for the SQL;
//! `store` never imports them.

pub mod access;
pub mod export;
pub mod purge;
pub mod register_export;
