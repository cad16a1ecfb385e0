CREATE TABLE IF NOT EXISTS wallet (
    id      VARCHAR(40) PRIMARY KEY,
    balance BIGINT      NOT NULL CHECK (balance >= 0),
    version INT         NOT NULL
);
CREATE TABLE IF NOT EXISTS charge (
    id        BIGSERIAL PRIMARY KEY,
    wallet_id VARCHAR(40)  NOT NULL REFERENCES wallet (id),
    amount    BIGINT       NOT NULL,
    idem_key  VARCHAR(255) NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS document (
    id      VARCHAR(40) PRIMARY KEY,
    title   TEXT        NOT NULL,
    body    TEXT        NOT NULL,
    version INT         NOT NULL
);
INSERT INTO wallet (id, balance, version) VALUES ('alice', 1000, 1), ('bob', 1000, 1) ON CONFLICT (id) DO NOTHING;
INSERT INTO document (id, title, body, version) VALUES ('welcome', 'Welcome', 'Edit me in two tabs.', 1) ON CONFLICT (id) DO NOTHING;
