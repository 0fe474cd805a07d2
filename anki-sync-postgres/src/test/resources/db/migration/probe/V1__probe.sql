-- A second concern beside "accounts" in the same database (MigrationsTest).
CREATE TABLE users (id integer PRIMARY KEY);
