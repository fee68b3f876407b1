-- Work orders and their history. Instants are Unix milliseconds (UTC) in every dialect: one sortable type
-- that reads back the same from SQLite, PostgreSQL and SQL Server. Enums are stored by name.
CREATE TABLE tickets (
    id bigint IDENTITY(1,1) NOT NULL CONSTRAINT pk_tickets PRIMARY KEY,
    code nvarchar(16) NOT NULL,
    version int NOT NULL,
    channel nvarchar(16) NOT NULL,
    caller_phone nvarchar(32) NULL,
    caller_name nvarchar(100) NULL,
    anonymous int NOT NULL,
    confidential int NOT NULL,
    transcript nvarchar(max) NULL,
    recording_ref nvarchar(400) NULL,
    title nvarchar(200) NOT NULL,
    description nvarchar(max) NOT NULL,
    category1 nvarchar(50) NULL,
    category2 nvarchar(50) NULL,
    category3 nvarchar(50) NULL,
    type nvarchar(16) NOT NULL,
    urgency nvarchar(16) NOT NULL,
    location nvarchar(200) NULL,
    department nvarchar(100) NULL,
    status nvarchar(16) NOT NULL,
    satisfaction nvarchar(24) NULL,
    merged_into bigint NULL CONSTRAINT fk_tickets_merged REFERENCES tickets(id),
    reply nvarchar(max) NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    accepted_at bigint NULL,
    replied_at bigint NULL,
    closed_at bigint NULL,
    reply_due_at bigint NULL,
    reply_warn_at bigint NULL,
    close_due_at bigint NULL,
    close_warn_at bigint NULL,
    sla_state nvarchar(16) NOT NULL,
    sla_next_check_at bigint NULL
);
CREATE UNIQUE INDEX ux_tickets_code ON tickets (code);
CREATE INDEX ix_tickets_created ON tickets (created_at);
CREATE INDEX ix_tickets_phone ON tickets (caller_phone);
CREATE INDEX ix_tickets_status ON tickets (status);
CREATE INDEX ix_tickets_department ON tickets (department);
CREATE INDEX ix_tickets_sla_next ON tickets (sla_next_check_at) WHERE sla_next_check_at IS NOT NULL;

CREATE TABLE ticket_history (
    id bigint IDENTITY(1,1) NOT NULL CONSTRAINT pk_ticket_history PRIMARY KEY,
    ticket_id bigint NOT NULL CONSTRAINT fk_ticket_history_ticket REFERENCES tickets(id),
    at bigint NOT NULL,
    actor nvarchar(100) NOT NULL,
    kind nvarchar(16) NOT NULL,
    from_status nvarchar(16) NULL,
    to_status nvarchar(16) NOT NULL,
    note nvarchar(max) NULL
);
CREATE INDEX ix_ticket_history_ticket ON ticket_history (ticket_id, id);
