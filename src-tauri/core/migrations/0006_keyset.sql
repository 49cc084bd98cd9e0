-- Keyset paging of the complaints list: sorting by step walks one index (step, then the newest
-- first), so that a page seeks to its cursor instead of sorting every complaint of the range.
-- It also serves everything the old single-column index on step did.
CREATE INDEX complaints_step_received ON complaints (step, received_on DESC, id DESC);
DROP INDEX complaints_step;
