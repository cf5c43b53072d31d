"""On PostgreSQL, the database itself refuses to change or delete an audit row (the model refuses first)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION care_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit records cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER care_audit_append_only BEFORE UPDATE OR DELETE ON care_auditrecord
    FOR EACH ROW EXECUTE FUNCTION care_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS care_audit_append_only ON care_auditrecord;
DROP FUNCTION IF EXISTS care_audit_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("care", "0001_i19care_consent_and_audit")]

    operations = [migrations.RunPython(forwards, backwards)]
