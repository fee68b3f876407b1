-- Work orders and their history. Instants are Unix milliseconds (UTC) in every dialect: one sortable type
-- that reads back the same from SQLite, PostgreSQL and SQL Server. Enums are stored by name.
CREATE TABLE tickets (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL,
    version INTEGER NOT NULL,
    channel TEXT NOT NULL,
    caller_phone TEXT NULL,
    caller_name TEXT NULL,
    anonymous INTEGER NOT NULL,
    confidential INTEGER NOT NULL,
    transcript TEXT NULL,
    recording_ref TEXT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    category1 TEXT NULL,
    category2 TEXT NULL,
    category3 TEXT NULL,
    type TEXT NOT NULL,
    urgency TEXT NOT NULL,
    location TEXT NULL,
    department TEXT NULL,
    status TEXT NOT NULL,
    satisfaction TEXT NULL,
    merged_into INTEGER NULL REFERENCES tickets(id),
    reply TEXT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    accepted_at INTEGER NULL,
    replied_at INTEGER NULL,
    closed_at INTEGER NULL,
    reply_due_at INTEGER NULL,
    reply_warn_at INTEGER NULL,
    close_due_at INTEGER NULL,
    close_warn_at INTEGER NULL,
    sla_state TEXT NOT NULL,
    sla_next_check_at INTEGER NULL
);
CREATE UNIQUE INDEX ux_tickets_code ON tickets (code);
CREATE INDEX ix_tickets_created ON tickets (created_at);
CREATE INDEX ix_tickets_phone ON tickets (caller_phone);
CREATE INDEX ix_tickets_status ON tickets (status);
CREATE INDEX ix_tickets_department ON tickets (department);
CREATE INDEX ix_tickets_sla_next ON tickets (sla_next_check_at);

CREATE TABLE ticket_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    from_status TEXT NULL,
    to_status TEXT NOT NULL,
    note TEXT NULL
);
CREATE INDEX ix_ticket_history_ticket ON ticket_history (ticket_id, id);
