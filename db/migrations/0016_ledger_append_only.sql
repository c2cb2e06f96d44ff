-- The ledger and its checkpoints are append-only, whoever connects: a row-level trigger
-- refuses UPDATE and DELETE, a statement-level one TRUNCATE. Only a role that may disable
-- triggers on the table (its owner, a superuser) can get past it, and the chain and the
-- signed checkpoints kept outside the database then show what was changed (docs/ledger.md).
CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'insufficient_privilege', HINT = 'ledger rows are never changed or removed; append a new entry instead';
END
$$;
--> statement-breakpoint
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
CREATE TRIGGER ledger_checkpoints_append_only BEFORE UPDATE OR DELETE ON ledger_checkpoints FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
CREATE TRIGGER ledger_checkpoints_no_truncate BEFORE TRUNCATE ON ledger_checkpoints FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change();
--> statement-breakpoint
-- Every role but the owner loses UPDATE, DELETE and TRUNCATE on both tables, whatever
-- granted them (default privileges, a GRANT ALL by an operator); SELECT and INSERT stay.
DO $$
DECLARE
  grantee_name text;
BEGIN
  FOR grantee_name IN
    SELECT DISTINCT CASE WHEN acl.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(acl.grantee)) END
    FROM pg_class c, aclexplode(c.relacl) acl
    WHERE c.oid IN ('ledger_entries'::regclass, 'ledger_checkpoints'::regclass)
      AND acl.grantee <> c.relowner
      AND acl.privilege_type IN ('UPDATE', 'DELETE', 'TRUNCATE')
  LOOP
    EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON ledger_entries, ledger_checkpoints FROM %s', grantee_name);
  END LOOP;
END
$$;
