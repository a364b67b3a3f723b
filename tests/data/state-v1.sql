-- A state database as version 1 of followup-daemon wrote it.
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE accounts (name TEXT PRIMARY KEY, cursor TEXT, pass_started TEXT,
    pass_finished TEXT, result TEXT, error TEXT, counts TEXT);
CREATE TABLE events (account TEXT NOT NULL, event_id TEXT NOT NULL, payload TEXT NOT NULL,
    PRIMARY KEY (account, event_id));
CREATE TABLE followups (account TEXT NOT NULL, key TEXT NOT NULL, status TEXT NOT NULL,
    remote_id TEXT, start TEXT, end_ TEXT, fingerprint TEXT, title TEXT,
    updated TEXT NOT NULL, PRIMARY KEY (account, key));
CREATE TABLE drafts (account TEXT NOT NULL, key TEXT NOT NULL, status TEXT NOT NULL,
    remote_id TEXT, recipients TEXT, updated TEXT NOT NULL, PRIMARY KEY (account, key));
INSERT INTO meta VALUES ('schema_version', '1');
INSERT INTO accounts VALUES ('main', 'c1', '2026-11-01T09:00', '2026-11-01T09:00', 'ok',
    NULL, '{}');
INSERT INTO followups VALUES ('main', 'k1', 'user_deleted', 'r1', '2026-11-12T10:00:00-05:00',
    '2026-11-12T10:15:00-05:00', 'fp', 'Follow up: Acme', '2026-11-01T09:00');
INSERT INTO followups VALUES ('main', 'k2', 'created', 'r2', '2026-11-13T10:00:00-05:00',
    '2026-11-13T10:15:00-05:00', 'fp2', 'Follow up: Globex', '2026-11-01T09:00');
INSERT INTO drafts VALUES ('main', 'k2', 'created', 'd2', 'j@globex.com', '2026-11-01T09:00');
