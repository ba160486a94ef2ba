"""On PostgreSQL, the database itself refuses to change or delete an audit event, whatever
the code or a console asks, unless the transaction says it is the retention rule's prune
(canto_portal.models.PRUNE_SETTING). SQLite, used only in development, relies on the model."""

from django.db import migrations

CREATE = """
CREATE FUNCTION canto_portal_audit_event_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('canto.audit_prune', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER canto_portal_auditevent_append_only
BEFORE UPDATE OR DELETE ON canto_portal_auditevent
FOR EACH ROW EXECUTE FUNCTION canto_portal_audit_event_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS canto_portal_auditevent_append_only ON canto_portal_auditevent;
DROP FUNCTION IF EXISTS canto_portal_audit_event_append_only();
"""


def on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("canto_portal", "0001_audit_event")]

    operations = [migrations.RunPython(on_postgresql(CREATE), on_postgresql(DROP))]
