-- Callback requests a waiting caller made (pressed 1) and that are not yet over: written before the caller hears the
-- confirmation, so a restart of serve puts them back into the ACD at their place. caller_phone holds the whole number,
-- as tickets.caller_phone does: it is dialled. Instants are Unix milliseconds; priority and state are stored by name.
-- next_attempt_at: a pending request whose citizen could not be reached is not offered again before it (NULL: due now).
CREATE TABLE callback_requests (
    id bigint IDENTITY(1,1) NOT NULL CONSTRAINT pk_callback_requests PRIMARY KEY,
    call_id nvarchar(200) NOT NULL,
    queue nvarchar(100) NOT NULL,
    caller_phone nvarchar(32) NOT NULL,
    draft_code nvarchar(16) NULL,
    priority nvarchar(16) NOT NULL,
    queued_at bigint NOT NULL,
    requested_at bigint NOT NULL,
    state nvarchar(16) NOT NULL,
    attempts int NOT NULL,
    next_attempt_at bigint NULL,
    updated_at bigint NOT NULL
);
CREATE UNIQUE INDEX ux_callback_requests_call ON callback_requests (call_id);
CREATE INDEX ix_callback_requests_state ON callback_requests (state, queued_at);
