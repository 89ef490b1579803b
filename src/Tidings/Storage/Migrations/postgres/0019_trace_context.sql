-- Traces: the W3C trace context (traceparent) of the span that appended an event, kept beside the event and never in
-- its payload, so that the webhook calls made for it later continue the same trace. NULL when tracing was off or the
-- event's trace was not sampled, and for events recorded before this migration.
ALTER TABLE journal ADD COLUMN trace_parent TEXT;
-- 1: webhook calls carry a traceparent header (the call's span) to the receiver; off by default.
ALTER TABLE webhooks ADD COLUMN trace_context BIGINT NOT NULL DEFAULT 0;
