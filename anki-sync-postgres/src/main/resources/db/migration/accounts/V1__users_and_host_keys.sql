-- Accounts (schema "accounts", see Migrations): what the SQLite account database holds, in PostgreSQL.

-- One row per user. The password is a PBKDF2 PHC string ($pbkdf2-sha256$i=...,l=32$salt$hash), never the password.
CREATE TABLE users (
    name       text        PRIMARY KEY,
    password   text        NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);

-- One row per login of one device. Only the SHA-256 of the key is kept. No foreign key to users:
-- users of SYNC_USERn variables log in and get keys too. "credential" ties a key of such a user
-- to the variable's password.
CREATE TABLE host_keys (
    id             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key_sha256     text        NOT NULL UNIQUE,
    username       text        NOT NULL,
    credential     text,
    client_version text,
    created_at     timestamptz NOT NULL,
    first_address  text,
    last_used_at   timestamptz NOT NULL,
    last_address   text
);

CREATE INDEX host_keys_username ON host_keys (username);
