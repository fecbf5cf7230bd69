-- 005: the first roster pull into an empty terminal loads in bulk
-- (app/sync/sync_apply.c): the secondary indexes of elder and card are
-- dropped before the first page and built again after the last one, which
-- is many times faster than a million random index inserts.  Their
-- CREATE statements wait here between the two, so a pull stopped half-way
-- (a kill, a power cut) still rebuilds them when a later round finishes it.
CREATE TABLE roster_bulk_index (
    name TEXT PRIMARY KEY NOT NULL,  -- the index
    sql  TEXT NOT NULL               -- its CREATE statement from sqlite_master
) WITHOUT ROWID;
