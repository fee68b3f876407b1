-- Work orders and their history. Instants are Unix milliseconds (UTC) in every dialect: one sortable type
-- that reads back the same from SQLite, PostgreSQL and SQL Server. Enums are stored by name.
CREATE TABLE tickets (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code varchar(16) NOT NULL,
    version integer NOT NULL,
    channel varchar(16) NOT NULL,
    caller_phone varchar(32) NULL,
    caller_name varchar(100) NULL,
    anonymous integer NOT NULL,
    confidential integer NOT NULL,
    transcript text NULL,
    recording_ref varchar(400) NULL,
    title varchar(200) NOT NULL,
    description text NOT NULL,
    category1 varchar(50) NULL,
    category2 varchar(50) NULL,
    category3 varchar(50) NULL,
    type varchar(16) NOT NULL,
    urgency varchar(16) NOT NULL,
    location varchar(200) NULL,
    department varchar(100) NULL,
    status varchar(16) NOT NULL,
    satisfaction varchar(24) NULL,
    merged_into bigint NULL REFERENCES tickets(id),
    reply text NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    accepted_at bigint NULL,
    replied_at bigint NULL,
    closed_at bigint NULL,
    reply_due_at bigint NULL,
    reply_warn_at bigint NULL,
    close_due_at bigint NULL,
    close_warn_at bigint NULL,
    sla_state varchar(16) NOT NULL,
    sla_next_check_at bigint NULL
);
CREATE UNIQUE INDEX ux_tickets_code ON tickets (code);
CREATE INDEX ix_tickets_created ON tickets (created_at);
CREATE INDEX ix_tickets_phone ON tickets (caller_phone);
CREATE INDEX ix_tickets_status ON tickets (status);
CREATE INDEX ix_tickets_department ON tickets (department);
CREATE INDEX ix_tickets_sla_next ON tickets (sla_next_check_at) WHERE sla_next_check_at IS NOT NULL;

CREATE TABLE ticket_history (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ticket_id bigint NOT NULL REFERENCES tickets(id),
    at bigint NOT NULL,
    actor varchar(100) NOT NULL,
    kind varchar(16) NOT NULL,
    from_status varchar(16) NULL,
    to_status varchar(16) NOT NULL,
    note text NULL
);
CREATE INDEX ix_ticket_history_ticket ON ticket_history (ticket_id, id);
