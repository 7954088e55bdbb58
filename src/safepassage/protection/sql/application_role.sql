-- Privileges of SafePassage's application role on PostgreSQL (run as the owner of the
-- schema after migrations; migrations themselves run as a separate owner role).
-- Everything the application needs, except that the audit log is append-only: the role may
-- INSERT and SELECT audit entries, never UPDATE, DELETE or TRUNCATE them.
GRANT USAGE ON SCHEMA public TO safepassage_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO safepassage_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO safepassage_app;
REVOKE UPDATE, DELETE, TRUNCATE ON protection_auditevent FROM safepassage_app;
GRANT SELECT, INSERT ON protection_auditevent TO safepassage_app;
