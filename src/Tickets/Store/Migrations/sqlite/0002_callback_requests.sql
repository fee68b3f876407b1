-- Callback requests a waiting caller made (pressed 1) and that are not yet over: written before the caller hears the
-- confirmation, so a restart of serve puts them back into the ACD at their place. caller_phone holds the whole number,
-- as tickets.caller_phone does: it is dialled. Instants are Unix milliseconds; priority and state are stored by name.
-- next_attempt_at: a pending request whose citizen could not be reached is not offered again before it (NULL: due now).
CREATE TABLE callback_requests (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id TEXT NOT NULL,
    queue TEXT NOT NULL,
    caller_phone TEXT NOT NULL,
    draft_code TEXT NULL,
    priority TEXT NOT NULL,
    queued_at INTEGER NOT NULL,
    requested_at INTEGER NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at INTEGER NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX ux_callback_requests_call ON callback_requests (call_id);
CREATE INDEX ix_callback_requests_state ON callback_requests (state, queued_at);
