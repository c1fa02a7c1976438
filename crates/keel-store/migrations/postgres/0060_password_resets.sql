-- Password reset links: a 256-bit code mailed to the account (or printed by
-- `keel user reset-link`), kept only as its SHA-256 like sessions and tokens. One use, short
-- lived; using one sets the password, ends the account's sessions and spends its other links.
CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX password_resets_user ON password_resets(user_id);
