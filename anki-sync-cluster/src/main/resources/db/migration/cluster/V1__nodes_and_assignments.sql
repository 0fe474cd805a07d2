-- The node directory (schema "cluster", see org.ankisync.postgres.Migrations):
-- which nodes exist and which node serves each user.

CREATE TABLE nodes (
    name              TEXT PRIMARY KEY,
    -- The base URL clients are sent to (308 Location), ending in '/'.
    public_endpoint   TEXT NOT NULL,
    -- Where other nodes and the node command reach /cluster/ (often the same).
    internal_endpoint TEXT NOT NULL,
    -- active: takes new users; draining: keeps its users, takes no new ones; down: taken out by an operator.
    state             TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'draining', 'down')),
    heartbeat         TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE assignments (
    username    TEXT PRIMARY KEY,
    node        TEXT NOT NULL REFERENCES nodes (name),
    -- active: served by node; moving: being copied from node to target, every request refused meanwhile.
    state       TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'moving')),
    target      TEXT REFERENCES nodes (name),
    changed     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX assignments_by_node ON assignments (node);
