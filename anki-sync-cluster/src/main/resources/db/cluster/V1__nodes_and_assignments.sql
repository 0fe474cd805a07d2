-- The node directory: which nodes exist and which node serves each user.
-- Tables carry a cluster_ prefix and Flyway keeps their history in its own
-- table (cluster_schema_history), so they share a database with the account store.

CREATE TABLE cluster_nodes (
    name              TEXT PRIMARY KEY,
    -- The base URL clients are sent to (308 Location), ending in '/'.
    public_endpoint   TEXT NOT NULL,
    -- Where other nodes and the node command reach /cluster/ (often the same).
    internal_endpoint TEXT NOT NULL,
    -- active: takes new users; draining: keeps its users, takes no new ones; down: taken out by an operator.
    state             TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'draining', 'down')),
    heartbeat         TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE cluster_assignments (
    username    TEXT PRIMARY KEY,
    node        TEXT NOT NULL REFERENCES cluster_nodes (name),
    -- active: served by node; moving: being copied from node to target, every request refused meanwhile.
    state       TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'moving')),
    target      TEXT REFERENCES cluster_nodes (name),
    changed     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX cluster_assignments_by_node ON cluster_assignments (node);
