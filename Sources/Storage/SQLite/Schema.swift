import GRDB

/// The SQLite schema, created and upgraded by numbered migrations (`v1`, `v2`…) that GRDB's
/// `DatabaseMigrator` records in `grdb_migrations`; `PRAGMA user_version` mirrors the number and
/// `PRAGMA application_id` marks the file as Vigía's.
///
/// Conventions: dates are INTEGER seconds since the Unix epoch (UTC); sentiment labels are
/// `pos`/`neg`/`neu`; hashes are 64-bit ``StableHash`` values.
enum Schema {
    /// The schema version this build writes; a file with a higher one is refused.
    static let version = 3
    /// `PRAGMA application_id` of a Vigía database ("VGIA").
    static let applicationID: Int32 = 0x5647_4941

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in try createVersion1(db) }
        migrator.registerMigration("v2") { db in try addPollingState(db) }
        migrator.registerMigration("v3") { db in try addDigestDeliveries(db) }
        return migrator
    }

    /// The migration identifiers this build knows, in order.
    static let knownMigrations = ["v1", "v2", "v3"]

    private static func createVersion1(_ db: Database) throws {
        try db.execute(sql: """
            -- Feeds and imports, with the fetcher's polling state.
            CREATE TABLE source (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL CHECK (kind IN ('feed', 'import')),
                url TEXT NOT NULL UNIQUE,
                format TEXT,
                title TEXT,
                site_link TEXT,
                poll_interval INTEGER,
                active INTEGER NOT NULL DEFAULT 1,
                etag TEXT,
                last_modified TEXT,
                last_status INTEGER,
                last_error TEXT,
                last_polled_at INTEGER,
                last_success_at INTEGER,
                consecutive_failures INTEGER NOT NULL DEFAULT 0,
                next_poll_at INTEGER,
                items_per_day REAL,
                added_at INTEGER NOT NULL
            );
            CREATE INDEX source_due ON source(next_poll_at) WHERE active AND kind = 'feed';

            -- Entries: stored once per (source, guid); copies point at their canonical entry.
            CREATE TABLE entry (
                id INTEGER PRIMARY KEY,
                source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
                guid TEXT NOT NULL,
                guid_key INTEGER NOT NULL,          -- hash of (origin, guid)
                link TEXT,
                link_key INTEGER,                   -- hash of the canonical link
                host_key TEXT,                      -- link host, labels reversed: org.example.www
                title TEXT,
                text TEXT,
                author TEXT,
                categories TEXT,                    -- one per line
                origin TEXT,                        -- the record's own source column
                engagement INTEGER,
                published INTEGER,
                updated INTEGER,
                seen_at INTEGER NOT NULL,
                date INTEGER NOT NULL,              -- published, else seen_at
                language TEXT,
                sentiment_score REAL,
                sentiment_label TEXT CHECK (sentiment_label IN ('pos', 'neg', 'neu')),
                fingerprint INTEGER,                -- content hash; NULL for short texts
                duplicate_of INTEGER REFERENCES entry(id),
                duplicate_reason TEXT CHECK (duplicate_reason IN ('link', 'content')),
                indexed INTEGER NOT NULL            -- 1 when entry_fts holds its words
            );
            CREATE UNIQUE INDEX entry_guid ON entry(source_id, guid_key);
            CREATE INDEX entry_link ON entry(link_key) WHERE link_key IS NOT NULL;
            CREATE INDEX entry_fingerprint ON entry(fingerprint) WHERE fingerprint IS NOT NULL;
            CREATE INDEX entry_date ON entry(date);
            CREATE INDEX entry_language_date ON entry(language, date);
            CREATE INDEX entry_host ON entry(host_key);
            CREATE INDEX entry_duplicate ON entry(duplicate_of) WHERE duplicate_of IS NOT NULL;

            -- Full-text index over title and text. External content: the words are indexed, the
            -- text itself is read from `entry` (snippets included), so it is stored once. Its
            -- content is the view of indexed entries (exact copies of an indexed text are left
            -- out), so that FTS5's 'integrity-check' and 'rebuild' see what the index holds.
            -- `lang` (the language code) and `site` (the reversed host) are each one token (see
            -- IndexTokens) so that a search narrows its matches inside the index instead of
            -- reading every matching entry; they carry no weight in the ranking, and title/text
            -- searches never look at them.
            CREATE VIEW entry_indexed AS
                SELECT id, title, text, \(IndexTokens.languageSQL("language")) AS lang,
                       \(IndexTokens.hostSQL("host_key")) AS site
                FROM entry WHERE indexed;
            CREATE VIRTUAL TABLE entry_fts USING fts5(
                title, text, lang, site,
                content = 'entry_indexed', content_rowid = 'id',
                tokenize = 'unicode61 remove_diacritics 2'
            );

            -- Mentions: one per (entry, brand). `counted` is 1 for the first mention of a brand in
            -- a group of copies (canonical entry and its duplicates), so counts see it once.
            CREATE TABLE mention (
                id INTEGER PRIMARY KEY,
                entry_id INTEGER NOT NULL REFERENCES entry(id) ON DELETE CASCADE,
                canonical_id INTEGER NOT NULL,      -- the group's canonical entry
                brand TEXT NOT NULL COLLATE NOCASE,
                date INTEGER NOT NULL,              -- the entry's date
                sentiment_score REAL NOT NULL,
                sentiment_label TEXT NOT NULL CHECK (sentiment_label IN ('pos', 'neg', 'neu')),
                counted INTEGER NOT NULL,
                matches TEXT NOT NULL,              -- JSON: [{"term":…,"start":…,"end":…}]
                UNIQUE (entry_id, brand)
            );
            CREATE INDEX mention_brand_date ON mention(brand, date);
            CREATE INDEX mention_brand_sentiment_date ON mention(brand, sentiment_label, date);
            CREATE UNIQUE INDEX mention_counted ON mention(canonical_id, brand) WHERE counted;

            -- Alerts, recorded once (by key), and their deliveries (the outbox).
            CREATE TABLE alert (
                id INTEGER PRIMARY KEY,
                key TEXT NOT NULL UNIQUE,
                brand TEXT NOT NULL,
                kind TEXT NOT NULL,
                bucket_start INTEGER NOT NULL,
                bucket_end INTEGER,
                value REAL NOT NULL,
                baseline REAL,
                score REAL,
                message TEXT NOT NULL,
                details TEXT,
                created_at INTEGER NOT NULL
            );
            CREATE INDEX alert_created ON alert(created_at);

            CREATE TABLE outbox (
                id INTEGER PRIMARY KEY,
                alert_id INTEGER NOT NULL REFERENCES alert(id) ON DELETE CASCADE,
                sink TEXT NOT NULL,
                status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL,
                last_error TEXT,
                delivered_at INTEGER,
                UNIQUE (alert_id, sink)
            );
            CREATE INDEX outbox_pending ON outbox(next_attempt_at) WHERE status = 'pending';
            """)
        // Relevance: BM25 with title words weighing four times text words (lang and site: none).
        try db.execute(sql: "INSERT INTO entry_fts (entry_fts, rank) VALUES ('rank', 'bm25(4.0, 1.0, 0.0, 0.0)')")
        try db.execute(sql: "PRAGMA application_id = \(applicationID)")
        try db.execute(sql: "PRAGMA user_version = 1")
    }

    /// Version 2: what the polling daemon needs besides the validators: the URL a permanent
    /// redirect moved the feed to, the hash of the last body (for servers that ignore conditional
    /// GET), the earliest next poll a server or the backoff allows, since when a feed fails, and the
    /// files of folder sources already read.
    private static func addPollingState(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE source ADD COLUMN fetch_url TEXT;
            ALTER TABLE source ADD COLUMN content_hash INTEGER;
            ALTER TABLE source ADD COLUMN hold_until INTEGER;
            ALTER TABLE source ADD COLUMN failing_since INTEGER;
            ALTER TABLE source ADD COLUMN entries_total INTEGER NOT NULL DEFAULT 0;

            -- The files of a folder source already read, by name, with the size and time they had.
            CREATE TABLE source_file (
                source_id INTEGER NOT NULL REFERENCES source(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                size INTEGER NOT NULL,
                modified INTEGER NOT NULL,
                PRIMARY KEY (source_id, name)
            ) WITHOUT ROWID;
            PRAGMA user_version = 2;
            """)
    }

    /// Version 3: the digest's deliveries, one per (period, target), so that the daemon sends each
    /// period's digest once to each recipient even across restarts, and retries the ones that
    /// failed; and a covering index for counting mentions.
    private static func addDigestDeliveries(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE digest_delivery (
                id INTEGER PRIMARY KEY,
                run_key TEXT NOT NULL,              -- the schedule's scope and the period's end
                scope TEXT NOT NULL,                -- the time zone whose brands the digest covers
                period_start INTEGER NOT NULL,
                period_end INTEGER NOT NULL,
                target TEXT NOT NULL,               -- `email` or a webhook's name
                status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at INTEGER NOT NULL,
                last_error TEXT,
                delivered_at INTEGER,
                created_at INTEGER NOT NULL,
                UNIQUE (run_key, target)
            );
            CREATE INDEX digest_delivery_pending ON digest_delivery(next_attempt_at) WHERE status = 'pending';

            -- Counts per brand, period and sentiment (the digest's figures and days, the alert
            -- monitor's warm-up) read this index alone, without visiting the mention rows
            -- (`counted` is a column too: SQLite sees a partial index as covering only then).
            CREATE INDEX mention_counted_brand_date ON mention(brand, date, sentiment_label, counted) WHERE counted;
            PRAGMA user_version = 3;
            """)
    }
}
