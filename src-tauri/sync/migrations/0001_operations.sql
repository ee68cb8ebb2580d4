-- Kontor's team sync, schema version 1: the replicas' operations log.
--
-- Every rep connects as their own PostgreSQL role. A rep writes operations
-- only under replica ids registered to their role, and reads the
-- operations of their team (kontor.reps; a role not listed there is in the
-- team 'default'). Row-level security holds the table owner to the same
-- rules (FORCE), so the rep who created the schema is no exception.

CREATE SCHEMA kontor;

CREATE TABLE kontor.schema_version (version integer NOT NULL);
INSERT INTO kontor.schema_version VALUES (0);

-- Reps and their teams, kept by whoever runs the server.
CREATE TABLE kontor.reps (
    role name PRIMARY KEY,
    team text NOT NULL
);

-- Plain SQL, so the planner inlines it (the table is readable by everyone).
CREATE FUNCTION kontor.team_of(who name) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT coalesce((SELECT r.team FROM kontor.reps r WHERE r.role = who), 'default')
$$;

-- Each laptop's store is a replica with an id of its own, registered to
-- the rep's role on its first push.
CREATE TABLE kontor.replicas (
    replica_id uuid PRIMARY KEY,
    role name NOT NULL DEFAULT current_user,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- The log. `txid` is the inserting transaction's id: a reader passes only
-- rows of transactions older than every running one (its snapshot's
-- xmin), so a slow commit is never skipped by the cursor (txid, id).
CREATE TABLE kontor.ops (
    txid bigint NOT NULL DEFAULT txid_current(),
    id bigint GENERATED ALWAYS AS IDENTITY,
    replica_id uuid NOT NULL REFERENCES kontor.replicas,
    seq bigint NOT NULL,
    entity text NOT NULL,
    entity_id uuid NOT NULL,
    field text NOT NULL,
    value jsonb NOT NULL,
    hlc text NOT NULL,
    prev text,
    role name NOT NULL DEFAULT current_user,
    -- The writer's team when it wrote: who may read it (a rep who moves
    -- to another team leaves what they wrote with the old one).
    team text NOT NULL DEFAULT kontor.team_of(current_user),
    PRIMARY KEY (replica_id, seq)
);
CREATE INDEX ops_log ON kontor.ops (txid, id);
CREATE INDEX ops_entity ON kontor.ops (entity_id);

-- Records erased for good (GDPR): their id and who erased them, nothing else.
CREATE TABLE kontor.erased (
    entity_id uuid PRIMARY KEY,
    role name NOT NULL DEFAULT session_user,
    at timestamptz NOT NULL DEFAULT now()
);

-- A late operation about an erased record (a replica that was offline)
-- is dropped, not stored.
CREATE FUNCTION kontor.skip_erased() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF NEW.field <> '_erased' AND EXISTS (SELECT 1 FROM kontor.erased WHERE entity_id = NEW.entity_id) THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER ops_skip_erased BEFORE INSERT ON kontor.ops
    FOR EACH ROW EXECUTE FUNCTION kontor.skip_erased();

-- Erases a record for good: every operation about it goes but the erasure.
-- Only a rep of a team that sees the record may.
CREATE FUNCTION kontor.erase(e uuid) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM kontor.ops WHERE entity_id = e AND team IS DISTINCT FROM kontor.team_of(session_user)) THEN
        RAISE EXCEPTION 'record % belongs to another team', e USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO kontor.erased (entity_id) VALUES (e) ON CONFLICT DO NOTHING;
    DELETE FROM kontor.ops WHERE entity_id = e AND field <> '_erased';
END
$$;

ALTER TABLE kontor.ops ENABLE ROW LEVEL SECURITY;
ALTER TABLE kontor.ops FORCE ROW LEVEL SECURITY;
-- The reader's team once per statement (an initplan), not once per row.
CREATE POLICY ops_read ON kontor.ops FOR SELECT
    USING (team = (SELECT kontor.team_of(current_user)));
CREATE POLICY ops_write ON kontor.ops FOR INSERT
    WITH CHECK (role = current_user AND team = (SELECT kontor.team_of(current_user)) AND EXISTS (
        SELECT 1 FROM kontor.replicas r WHERE r.replica_id = ops.replica_id AND r.role = current_user));
-- Only the owner holds DELETE, used by kontor.erase().
CREATE POLICY ops_erase ON kontor.ops FOR DELETE USING (true);

ALTER TABLE kontor.replicas ENABLE ROW LEVEL SECURITY;
ALTER TABLE kontor.replicas FORCE ROW LEVEL SECURITY;
CREATE POLICY replicas_read ON kontor.replicas FOR SELECT USING (true);
CREATE POLICY replicas_write ON kontor.replicas FOR INSERT WITH CHECK (role = current_user);

GRANT USAGE ON SCHEMA kontor TO PUBLIC;
GRANT SELECT ON kontor.schema_version, kontor.reps TO PUBLIC;
GRANT SELECT, INSERT ON kontor.replicas TO PUBLIC;
GRANT SELECT (txid, id, replica_id, seq, entity, entity_id, field, value, hlc, prev, role, team) ON kontor.ops TO PUBLIC;
GRANT INSERT (replica_id, seq, entity, entity_id, field, value, hlc, prev) ON kontor.ops TO PUBLIC;
REVOKE ALL ON kontor.erased FROM PUBLIC;
