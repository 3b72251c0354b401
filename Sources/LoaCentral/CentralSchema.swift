import LoaLog

/// The central store's schema (PostgreSQL 15), in the `loa` schema: the communes, each one's
/// high-water mark, and the broadcast rows they ship, partitioned by month. Communes write only
/// through `loa.ingest`, a SECURITY DEFINER function that takes the commune from the role that
/// calls it (never from the rows), recomputes every row's hash and checks that the batch links
/// to the commune's mark without a gap; a commune role has no privilege on any table. That is
/// simpler to keep right than row-level security, which would still need the hash check in a
/// trigger, and a batch that fails any check rolls back whole.
enum CentralSchema {
    static let version = 4

    /// The chain's content columns, in the order the hash covers them.
    static let content = SealedRow.contentColumnNames

    /// The SQL that builds a row's hashed content from its JSON: each column's text, NULL as
    /// empty, a unit separator inside written as a space, joined by unit separators.
    static var contentSQL: String {
        content.map { "replace(coalesce(r->>'\($0)', ''), chr(31), ' ')" }.joined(separator: " || chr(31) || ")
    }

    /// What a commune's role may call, and nothing else.
    static let communeFunctions =
        "loa.ingest(jsonb), loa.my_mark(), loa.ship_plan(text, jsonb), loa.ship_campaign(text, text, date, date), loa.published(), "
        + "loa.published_audio(text)"

    /// One statement each (the extended protocol takes one at a time).
    static var statements: [String] {
        [
            "CREATE SCHEMA IF NOT EXISTS loa",
            """
            CREATE TABLE IF NOT EXISTS loa.commune (
                code text PRIMARY KEY CHECK (code ~ '^[0-9A-Za-z-]{1,16}$'),
                name text NOT NULL,
                district text NOT NULL DEFAULT '',
                province text NOT NULL DEFAULT '',
                role_name text NOT NULL UNIQUE)
            """,
            """
            CREATE TABLE IF NOT EXISTS loa.mark (
                commune text PRIMARY KEY REFERENCES loa.commune,
                seal_sequence bigint NOT NULL,
                hash text NOT NULL,
                synced_at timestamptz NOT NULL DEFAULT now(),
                complete_through date)
            """,
            """
            CREATE TABLE IF NOT EXISTS loa.broadcast (
                commune text NOT NULL REFERENCES loa.commune,
                seal_sequence bigint NOT NULL,
                local_id bigint NOT NULL,
                entry_id text NOT NULL,
                date date NOT NULL,
                station text NOT NULL,
                channel text NOT NULL,
                channel_kind text NOT NULL,
                session text NOT NULL,
                campaign text,
                message text NOT NULL,
                role text NOT NULL,
                audio text NOT NULL,
                audio_sha256 text,
                scheduled_start text NOT NULL,
                actual_start text,
                actual_end text,
                time_zone text NOT NULL,
                played_seconds numeric(12, 3) NOT NULL,
                outcome text NOT NULL,
                reason_code text,
                reason text,
                device text NOT NULL,
                previous_hash text,
                hash text NOT NULL,
                PRIMARY KEY (commune, date, seal_sequence)) PARTITION BY RANGE (date)
            """,
            "CREATE INDEX IF NOT EXISTS broadcast_campaign ON loa.broadcast (campaign, date, commune)",
            // What each commune's own planner planned, per campaign, day and kind of channel: the
            // "planned" of planned against completed. Replaced whole for a campaign on each sync.
            """
            CREATE TABLE IF NOT EXISTS loa.planned (
                commune text NOT NULL REFERENCES loa.commune,
                campaign text NOT NULL,
                date date NOT NULL,
                channel_kind text NOT NULL,
                planned integer NOT NULL CHECK (planned >= 0),
                PRIMARY KEY (campaign, date, commune, channel_kind))
            """,
            """
            CREATE TABLE IF NOT EXISTS loa.campaign (
                id text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
                title text NOT NULL CHECK (length(title) BETWEEN 1 AND 1000),
                first date NOT NULL,
                last date NOT NULL)
            """,
            """
            CREATE OR REPLACE FUNCTION loa.ship_plan(campaign_id text, counts jsonb) RETURNS bigint
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = loa, pg_temp AS $$
            DECLARE
                who text;
                added bigint;
            BEGIN
                SELECT code INTO who FROM loa.commune WHERE role_name = session_user;
                IF who IS NULL THEN RAISE EXCEPTION 'role % is not a commune of this store', session_user; END IF;
                IF length(campaign_id) NOT BETWEEN 1 AND 64 OR jsonb_typeof(counts) <> 'array' OR jsonb_array_length(counts) > 20000 THEN
                    RAISE EXCEPTION 'a plan is a campaign id and a JSON array of at most 20000 counts';
                END IF;
                DELETE FROM loa.planned WHERE commune = who AND campaign = campaign_id;
                INSERT INTO loa.planned
                    SELECT who, campaign_id, (c->>'date')::date, c->>'channelKind', (c->>'planned')::integer
                    FROM jsonb_array_elements(counts) c
                    WHERE c->>'channelKind' IN ('fm', 'loudspeaker');
                GET DIAGNOSTICS added = ROW_COUNT;
                RETURN added;
            END
            $$
            """,
            "CREATE TABLE IF NOT EXISTS loa.version (version int NOT NULL)",
            // Campaigns the province issues to every commune, with their audio: each commune's
            // sync fetches them as drafts for its leader to approve.
            """
            CREATE TABLE IF NOT EXISTS loa.published_campaign (
                id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,63}$'),
                yaml text NOT NULL CHECK (length(yaml) <= 524288),
                publisher text NOT NULL CHECK (length(publisher) BETWEEN 1 AND 200),
                published_at timestamptz NOT NULL DEFAULT now())
            """,
            """
            CREATE TABLE IF NOT EXISTS loa.published_audio (
                campaign text NOT NULL REFERENCES loa.published_campaign ON DELETE CASCADE,
                name text NOT NULL CHECK (name ~ '^[^/]{1,200}$'),
                data bytea NOT NULL CHECK (length(data) <= 52428800),
                PRIMARY KEY (campaign, name))
            """,
            """
            CREATE OR REPLACE FUNCTION loa.ship_campaign(campaign_id text, campaign_title text, first_day date, last_day date)
            RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = loa, pg_temp AS $$
            BEGIN
                IF NOT EXISTS (SELECT 1 FROM loa.commune WHERE role_name = session_user) THEN
                    RAISE EXCEPTION 'role % is not a commune of this store', session_user;
                END IF;
                -- The campaign's title and window as the communes' files give them, for the report.
                INSERT INTO loa.campaign VALUES (campaign_id, campaign_title, first_day, last_day)
                ON CONFLICT (id) DO UPDATE SET title = excluded.title, first = excluded.first, last = excluded.last;
            END
            $$
            """,
            """
            CREATE OR REPLACE FUNCTION loa.published() RETURNS TABLE (id text, yaml text, publisher text, published_at timestamptz)
            LANGUAGE sql SECURITY DEFINER SET search_path = loa, pg_temp AS $$
                SELECT id, yaml, publisher, published_at FROM loa.published_campaign ORDER BY published_at, id
            $$
            """,
            """
            CREATE OR REPLACE FUNCTION loa.published_audio(campaign_id text) RETURNS TABLE (name text, data bytea)
            LANGUAGE sql SECURITY DEFINER SET search_path = loa, pg_temp AS $$
                SELECT name, data FROM loa.published_audio WHERE campaign = campaign_id ORDER BY name
            $$
            """,
            """
            CREATE OR REPLACE FUNCTION loa.my_mark() RETURNS TABLE (seal_sequence bigint, hash text)
            LANGUAGE sql SECURITY DEFINER SET search_path = loa, pg_temp AS $$
                SELECT m.seal_sequence, m.hash FROM loa.mark m JOIN loa.commune c ON c.code = m.commune
                WHERE c.role_name = session_user
            $$
            """,
            """
            CREATE OR REPLACE FUNCTION loa.ingest(batch jsonb) RETURNS bigint
            LANGUAGE plpgsql SECURITY DEFINER SET search_path = loa, pg_temp AS $$
            DECLARE
                who text;
                mark_sequence bigint;
                mark_hash text;
                r jsonb;
                sequence bigint;
                expected text;
                month date;
                part text;
                added bigint := 0;
            BEGIN
                SELECT code INTO who FROM loa.commune WHERE role_name = session_user;
                IF who IS NULL THEN RAISE EXCEPTION 'role % is not a commune of this store', session_user; END IF;
                SELECT m.seal_sequence, m.hash INTO mark_sequence, mark_hash FROM loa.mark m WHERE m.commune = who FOR UPDATE;
                mark_sequence := coalesce(mark_sequence, 0);
                -- A commune's first row links to the chain's genesis.
                mark_hash := coalesce(mark_hash, '\(ChainVerification.genesis)');
                IF jsonb_typeof(batch) <> 'array' OR jsonb_array_length(batch) > 5000 THEN
                    RAISE EXCEPTION 'a batch is a JSON array of at most 5000 rows';
                END IF;
                FOR r IN SELECT value FROM jsonb_array_elements(batch) LOOP
                    sequence := (r->>'sealSequence')::bigint;
                    -- A resend of rows already here adds nothing.
                    CONTINUE WHEN sequence <= mark_sequence;
                    IF sequence <> mark_sequence + 1 THEN
                        RAISE EXCEPTION 'row id % (entry %): sequence % after % leaves a gap', r->>'id', r->>'entryID', sequence, mark_sequence;
                    END IF;
                    IF coalesce(r->>'previousHash', '') <> mark_hash THEN
                        RAISE EXCEPTION 'row id % (entry %): does not link to the row before it (sequence %)', r->>'id', r->>'entryID', mark_sequence;
                    END IF;
                    expected := encode(sha256(convert_to(coalesce(r->>'previousHash', '') || chr(10) || \(contentSQL), 'UTF8')), 'hex');
                    IF expected <> coalesce(r->>'hash', '') THEN
                        RAISE EXCEPTION 'row id % (entry %): its hash does not match its content (altered)', r->>'id', r->>'entryID';
                    END IF;
                    month := date_trunc('month', (r->>'date')::date)::date;
                    part := 'broadcast_' || to_char(month, 'YYYY_MM');
                    IF to_regclass('loa.' || part) IS NULL THEN
                        EXECUTE format('CREATE TABLE loa.%I PARTITION OF loa.broadcast FOR VALUES FROM (%L) TO (%L)',
                            part, month, (month + interval '1 month')::date);
                    END IF;
                    INSERT INTO loa.broadcast VALUES (
                        who, sequence, (r->>'id')::bigint, r->>'entryID', (r->>'date')::date, r->>'station', r->>'channel',
                        r->>'channelKind', r->>'session', r->>'campaign', r->>'message', r->>'role', r->>'audio', r->>'audioSHA256',
                        r->>'scheduledStart', r->>'actualStart', r->>'actualEnd', r->>'timeZone', (r->>'playedSeconds')::numeric,
                        r->>'outcome', r->>'reasonCode', r->>'reason', r->>'device', r->>'previousHash', r->>'hash');
                    mark_sequence := sequence;
                    mark_hash := r->>'hash';
                    added := added + 1;
                END LOOP;
                INSERT INTO loa.mark (commune, seal_sequence, hash, synced_at, complete_through)
                VALUES (who, mark_sequence, mark_hash, now(), (SELECT max(date) FROM loa.broadcast WHERE commune = who))
                ON CONFLICT (commune) DO UPDATE SET seal_sequence = excluded.seal_sequence, hash = excluded.hash,
                    synced_at = excluded.synced_at, complete_through = excluded.complete_through;
                RETURN added;
            END
            $$
            """,
            "REVOKE ALL ON ALL TABLES IN SCHEMA loa FROM PUBLIC",
            "REVOKE ALL ON FUNCTION loa.ingest(jsonb) FROM PUBLIC",
            "REVOKE ALL ON FUNCTION loa.my_mark() FROM PUBLIC",
            "REVOKE ALL ON FUNCTION loa.ship_plan(text, jsonb) FROM PUBLIC",
            "REVOKE ALL ON FUNCTION loa.published() FROM PUBLIC",
            "REVOKE ALL ON FUNCTION loa.ship_campaign(text, text, date, date) FROM PUBLIC",
            "REVOKE ALL ON FUNCTION loa.published_audio(text) FROM PUBLIC",
            // Communes added before a function existed may call it too.
            """
            DO $$ DECLARE r record; BEGIN
                FOR r IN SELECT role_name FROM loa.commune LOOP
                    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %I', '\(communeFunctions)', r.role_name);
                END LOOP;
            END $$
            """,
        ]
    }
}
