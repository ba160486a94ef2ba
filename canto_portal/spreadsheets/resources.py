"""The base of every spreadsheet resource: what each of the portal's imports and exports shares.

* Rows are matched by keys a person can type, never by database ids.
* An import is all or nothing: one bad row and nothing is written, and every error names the
  row, the column, the value and what to do about it.
* Cells are safe in a spreadsheet: exported text that a spreadsheet would run as a formula is
  quoted, and imported text that looks like a formula is refused.
* A file is read in one transaction, with one history write for all its rows: a file of ten
  thousand rows is previewed and saved within a web request.
"""

import copy
import difflib
import itertools
import re

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, router, transaction
from django.utils.encoding import force_str
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from canto_portal.spreadsheets.cells import (
    EMPTY,
    ChoiceWidget,
    CountryWidget,
    DateWidget,
    NaturalKeyWidget,
    SafeTextWidget,
    YesNoWidget,
    escape_formula,
    plain_text,
    row_message,
)


def normalise_header(header):
    return re.sub(r"[\s-]+", "_", plain_text(header).lower())


class RowDiff(resources.Diff):
    """The preview's cells as the library shows them, made faster: most cells of a file are
    new or unchanged, and their difference is known without looking for one."""

    def as_html(self):
        differ = resources.diff_match_patch()  # the library's own
        cells = []
        for left, right in zip(self.left, self.right, strict=True):
            before = "" if self.new and left != right else force_str(left)
            after = force_str(right)
            if before == after:
                diff = [(differ.DIFF_EQUAL, after)] if after else []
            elif not before:
                diff = [(differ.DIFF_INSERT, after)]
            else:
                diff = differ.diff_main(before, after)
                differ.diff_cleanupSemantic(diff)
            cells.append(mark_safe(differ.diff_prettyHtml(diff)))
        return cells


class SpreadsheetResource(resources.ModelResource):
    """What every spreadsheet resource shares: natural keys, header checks, row errors that say
    where and what, all-or-nothing imports and formula-safe cells."""

    # Key columns that a file must have; other columns may be left out and keep their values.
    required_columns: tuple[str, ...] = ()
    # The columns that name a row, to find one a file repeats: the required ones, unless a
    # resource requires more columns than name a row.
    key_columns: tuple[str, ...] = ()

    class Meta:
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._row = {}
        self._row_number = 0
        self._seen_keys = {}
        self._instances = None
        self._import_fields = None
        self._compares_before = False
        self._values_before = []
        self._diff = None

    def get_diff_class(self):
        return RowDiff

    # Export

    def export_field(self, field, instance, **kwargs):
        return escape_formula(super().export_field(field, instance, **kwargs))

    # Import: the whole file

    # Rows may be written together, in a few statements at the end of the file, rather than
    # one statement a row. A resource turns this on only when it checks in memory every rule
    # that relates a row of the file to another row or to the table. writes_together() then
    # keeps to their own save, in the order of the file, the rows whose model's save() does
    # more than a bulk write, and those that change a value a unique constraint covers: the
    # database checks each of those within a bulk write, in no particular order, so that a
    # name handed on from one row to the next could be refused.
    write_rows_together = False

    def writes_together(self, instance):
        return self.write_rows_together

    def import_data(self, dataset, dry_run=False, **kwargs):
        """All or nothing, in one transaction: an invalid row rolls back the rows before it,
        and the preview (a dry run) rolls back everything. The library's own transaction
        would also put each row in a savepoint, two more trips to the database a row that
        all or nothing has no use for."""
        for option in ("use_transactions", "rollback_on_validation_errors"):
            kwargs.pop(option, None)
        self._new_rows, self._changed_rows, self._changed_columns = [], {}, {}
        self._new_history, self._changed_history = [], []
        self._database_failed = False
        # A confirmed import shows its totals, not its rows: the rows' HTML diffs, a good
        # part of the time a row takes, are made for the preview only.
        self._meta = copy.copy(type(self)._meta)
        self._meta.skip_html_diff = type(self)._meta.skip_html_diff or not dry_run
        # The library deep-copies each row's instance to find unchanged rows and to make the
        # diff; here both compare with the values the instance had before the row (skip_row,
        # import_row), which costs a fraction of the copy. A resource with a many-to-many
        # column keeps the library's way.
        self._compares_before = not self._meta.skip_diff and not any(
            isinstance(field.widget, widgets.ManyToManyWidget) for field in self.get_import_fields()
        )
        self._meta.skip_diff = self._meta.skip_diff or self._compares_before
        using = self.get_db_connection_name()
        with transaction.atomic(using=using):
            result = super().import_data(dataset, dry_run=False, use_transactions=False, **kwargs)
            failed = result.has_errors() or result.has_validation_errors()
            # The preview's history would be rolled back unread.
            if not (failed or dry_run):
                self.write_history()
            if dry_run or failed:
                transaction.set_rollback(True, using=using)
        return result

    def import_row(self, row, instance_loader, **kwargs):
        if self._database_failed:
            # The database refuses every statement after an error until the transaction
            # ends: the rows after it cannot be checked, and the file is refused anyway.
            result = self.get_row_result_class()()
            result.import_type = result.IMPORT_TYPE_SKIP
            return result
        self._diff = None
        result = super().import_row(row, instance_loader, **kwargs)
        self._database_failed = any(isinstance(e.error, DatabaseError) for e in result.errors)
        shown = (result.IMPORT_TYPE_NEW, result.IMPORT_TYPE_UPDATE, result.IMPORT_TYPE_SKIP)
        if self._diff and result.import_type in shown:
            diff, instance = self._diff
            # Whether the row is new matters only to a cell that changed: a skipped row has none.
            diff.new = result.import_type == result.IMPORT_TYPE_NEW
            diff.compare_with(self, instance)
            result.diff = diff.as_html()
        return result

    def get_import_fields(self):
        # The library asks again five times a row; the fields are the same for a whole file.
        if self._import_fields is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    def keeps_history(self):
        return hasattr(self._meta.model._meta, "simple_history_manager_attribute")

    def do_instance_save(self, instance, is_create):
        """A row is saved at once, so that the model's own save() and signals run, unless
        rows are written together (after_import). The history is written for the whole file
        at once (write_history)."""
        if self.writes_together(instance):
            if is_create:
                self._new_rows.append(instance)
            else:
                columns = frozenset(self._changed_columns.pop(id(instance)))
                self._changed_rows.setdefault(columns, []).append(instance)
        elif self.keeps_history():
            instance.skip_history_when_saving = True
            try:
                super().do_instance_save(instance, is_create)
            finally:
                del instance.skip_history_when_saving
        else:
            super().do_instance_save(instance, is_create)
        if self.keeps_history():
            (self._new_history if is_create else self._changed_history).append(instance)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        # A file with a bad row is rolled back: its rows need not be written first.
        if result.has_errors() or result.has_validation_errors():
            return
        manager = self._meta.model._default_manager
        # One statement per set of changed columns: a bulk update costs a little Python for
        # every row and column it names.
        for columns, rows in self._changed_rows.items():
            if columns:
                manager.bulk_update(rows, sorted(columns), batch_size=1000)
        changed = [row for rows in self._changed_rows.values() for row in rows]
        renewed = [f for f in self._meta.model._meta.concrete_fields if is_renewed(f)]
        if changed and renewed:
            # The file's rows change at one moment, written with a plain update.
            moment = {field.name: field.pre_save(changed[0], add=False) for field in renewed}
            for start in range(0, len(changed), 1000):
                batch = changed[start : start + 1000]
                for instance, (name, value) in itertools.product(batch, moment.items()):
                    setattr(instance, name, value)
                manager.filter(pk__in=[instance.pk for instance in batch]).update(**moment)
        manager.bulk_create(self._new_rows, batch_size=1000)

    def column_values(self, instance):
        """The values of the model's columns that an import may change."""
        return {
            field.name: field.value_from_object(instance)
            for field in self._meta.model._meta.concrete_fields
            if not field.primary_key and not is_renewed(field)
        }

    def write_history(self):
        if not self.keeps_history():
            return
        model = self._meta.model
        history = getattr(model, model._meta.simple_history_manager_attribute)
        history.bulk_history_create(self._new_history, batch_size=1000)
        history.bulk_history_create(self._changed_history, batch_size=1000, update=True)

    def column_names(self):
        return [field.column_name for field in self.get_export_fields()]

    def before_import(self, dataset, **kwargs):
        for field in self.fields.values():
            if isinstance(field.widget, NaturalKeyWidget):
                field.widget.reset()
        self._seen_keys = {}
        self._instances = None
        try:
            self.check_headers(dataset)
        except ValueError:
            # The rows cannot mean anything under wrong headings; one message says why.
            while dataset.height:
                dataset.rpop()
            raise

    def check_headers(self, dataset):
        name = self._meta.model._meta.verbose_name_plural
        expected = self.column_names()
        if not dataset.headers or not any(plain_text(h) for h in dataset.headers):
            raise ValueError(
                _(
                    "The file is empty or has no heading row. The first row must name the "
                    "columns for %(name)s: %(columns)s."
                )
                % {"name": name, "columns": ", ".join(expected)}
            )
        # Spreadsheets often carry empty columns to the right of the data: drop them.
        for index in reversed(range(len(dataset.headers))):
            if not plain_text(dataset.headers[index]):
                if any(plain_text(value) for value in dataset.get_col(index)):
                    raise ValueError(
                        _(
                            "Column %(number)s has values but no heading. Add one of these "
                            "headings: %(columns)s."
                        )
                        % {"number": index + 1, "columns": ", ".join(expected)}
                    )
                del dataset[dataset.headers[index]]
        headers = [normalise_header(h) for h in dataset.headers]
        problems = []
        for header in headers:
            if header not in expected:
                close = difflib.get_close_matches(header, expected, n=1)
                problems.append(
                    _("Unknown column “%(column)s”; did you mean “%(close)s”?")
                    % {"column": header, "close": close[0]}
                    if close
                    else _("Unknown column “%(column)s”.") % {"column": header}
                )
        repeated = sorted({h for h in headers if headers.count(h) > 1})
        if repeated:
            problems.append(_("Repeated columns: %(columns)s.") % {"columns": ", ".join(repeated)})
        missing = [c for c in self.required_columns if c not in headers]
        if missing:
            problems.append(
                _("Missing required columns: %(columns)s.") % {"columns": ", ".join(missing)}
            )
        if problems:
            raise ValueError(
                " ".join(problems)
                + " "
                + _("The columns for %(name)s are: %(columns)s.")
                % {"name": name, "columns": ", ".join(expected)}
            )
        dataset.headers = headers
        # Spreadsheets also keep formatted but empty rows below the data. Empty rows between
        # data rows stay, and are reported, so that row numbers match the file.
        while dataset.height and not any(plain_text(value) for value in dataset[-1]):
            dataset.rpop()

    # Import: each row

    def before_import_row(self, row, **kwargs):
        self._row = row
        self._row_number = kwargs.get("row_number") or 0
        self.check_repeated_key(row)

    def row_key_columns(self) -> tuple[str, ...]:
        return self.key_columns or self.required_columns

    def row_key(self, row):
        """The row's key as typed, to find a row that repeats an earlier one."""
        return tuple(plain_text(row.get(c)).lower() for c in self.row_key_columns())

    def repeated_key_message(self, first: int) -> str:
        return _(
            "Row %(first)s of this file already has this %(key)s. Each may "
            "appear only once in a file: merge the two rows."
        ) % {"first": first, "key": " + ".join(self.row_key_columns())}

    def check_repeated_key(self, row):
        key = self.row_key(row)
        if not all(key):
            return
        first = self._seen_keys.setdefault(key, self._row_number)
        if first != self._row_number:
            column = self.row_key_columns()[0]
            raise ValidationError(
                {
                    column: row_message(
                        self._row_number, column, row.get(column), self.repeated_key_message(first)
                    )
                }
            )

    def get_instance(self, instance_loader, row):
        """Rows are matched case-insensitively on their keys, and a key that cannot be read
        is reported as a row error, not a crash."""
        params, errors = {}, {}
        for name in self.get_import_id_fields():
            field = self.fields[name]
            try:
                value = field.clean(row)
            except ValueError as error:
                errors[field.attribute] = self.explain(field.attribute, str(error))
                continue
            if value in EMPTY:
                errors[field.attribute] = self.explain(
                    field.attribute, _("This column identifies the row and cannot be empty.")
                )
                continue
            lookup = f"{field.attribute}__iexact" if isinstance(value, str) else field.attribute
            params[lookup] = value
        if errors:
            raise ValidationError(errors)
        if len(params) == 1 and "__iexact" in next(iter(params)):
            return self.instances_by_key().get(next(iter(params.values())).lower())
        # Meta.ordering may join other tables; a lookup by key needs no order.
        return self.get_queryset().filter(**params).order_by().first()

    def instances_by_key(self):
        """The model's rows by their lower-cased single key, read once per import: one
        query instead of one per row. Rows of the file never refer to each other's instances,
        since a key may appear only once in a file."""
        if self._instances is None:
            (name,) = self.get_import_id_fields()
            attribute = self.fields[name].attribute
            self._instances = {
                str(getattr(instance, attribute)).lower(): instance
                for instance in self.get_queryset().order_by()
            }
        return self._instances

    def import_instance(self, instance, row, **kwargs):
        if self._compares_before:
            self._values_before = [(f, f.get_value(instance)) for f in self.get_import_fields()]
            if not self._meta.skip_html_diff:
                self._diff = (self.get_diff_class()(self, instance, False), instance)
        before = self.column_values(instance) if instance.pk and self.write_rows_together else {}
        errors = {}
        for field in self.get_import_fields():
            try:
                if not isinstance(field.widget, widgets.ManyToManyWidget):
                    self.import_field(field, instance, row, **kwargs)
                elif field.column_name in row:
                    # Saved after the instance (save_m2m), but checked now, so that an unknown
                    # name is a row error like any other rather than a failure at saving.
                    field.clean(row)
            except ValueError as error:
                errors[field.attribute] = str(error)
        if errors:
            raise ValidationError(errors)
        if before:
            after = self.column_values(instance)
            self._changed_columns[id(instance)] = {n for n in before if before[n] != after[n]}

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if not self._compares_before:
            return super().skip_row(instance, original, row, import_validation_errors)
        if not self._meta.skip_unchanged or import_validation_errors:
            return False
        return all(field.get_value(instance) == value for field, value in self._values_before)

    # Constraints this resource guarantees itself, by name (see constraint_cannot_fail).
    constraints_checked_here: tuple[str, ...] = ()

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """Model.full_clean() on every row, step by step, leaving out the checks that cannot
        fail here and would each cost a query per row: on a file of thousands of rows they
        were most of the time the import took."""
        errors = dict(import_validation_errors or {})
        exclude = set(errors)
        try:
            instance.clean_fields(exclude=exclude | self.checked_by_widgets(instance))
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            instance.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        exclude |= {name for name in errors if name != NON_FIELD_ERRORS}
        if validate_unique:
            try:
                instance.validate_unique(exclude=exclude | self.keys_checked_here())
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        errors = self.validate_constraints(instance, exclude, errors)
        if errors:
            raise ValidationError(
                {
                    key: [self.explain(key, message) for message in ValidationError(value).messages]
                    for key, value in errors.items()
                }
            )

    def checked_by_widgets(self, instance):
        """Fields whose value a widget has already checked: related rows a NaturalKeyWidget
        has just read from the database (checking again that they exist would repeat the
        query), and choices and countries taken from the field's own list (checking them
        again walks some 250 countries a row). Empty values are still checked."""
        checked = set()
        for field in self.fields.values():
            if isinstance(field.widget, NaturalKeyWidget):
                if getattr(instance, f"{field.attribute}_id", None) is not None:
                    checked.add(field.attribute)
            elif isinstance(field.widget, ChoiceWidget | CountryWidget) and (
                getattr(instance, field.attribute, None) not in EMPTY
            ):
                checked.add(field.attribute)
        return checked

    def keys_checked_here(self):
        """A single unique key is matched against the table (instances_by_key) and
        refused when repeated in the file (check_repeated_key), so it cannot clash."""
        names = self.get_import_id_fields()
        if len(names) == 1:
            return {self.fields[names[0]].attribute}
        return set()

    def constraint_message(self, name):
        (constraint,) = [c for c in self._meta.model._meta.constraints if c.name == name]
        return constraint.get_violation_error_message()

    def constraint_cannot_fail(self, constraint, instance):
        return constraint.name in self.constraints_checked_here

    def validate_constraints(self, instance, exclude, errors):
        """Model.validate_constraints(), minus constraint_cannot_fail()."""
        using = router.db_for_write(type(instance), instance=instance)
        for model_class, constraints in instance.get_constraints():
            for constraint in constraints:
                if self.constraint_cannot_fail(constraint, instance):
                    continue
                try:
                    constraint.validate(model_class, instance, exclude=exclude, using=using)
                except ValidationError as error:
                    if error.code == "unique" and len(constraint.fields) == 1:
                        errors.setdefault(constraint.fields[0], []).append(error)
                    else:
                        errors = error.update_error_dict(errors)
        return errors

    def explain(self, attribute, message):
        """The model's or widget's message, prefixed with where it happened."""
        if attribute == NON_FIELD_ERRORS:
            return _("Row %(row)s (line %(line)s of the file): %(message)s") % {
                "row": self._row_number,
                "line": self._row_number + 1,
                "message": message,
            }
        column = next(
            (f.column_name for f in self.fields.values() if f.attribute == attribute), attribute
        )
        return row_message(self._row_number, column, self._row.get(column), message)


def text_field(name, phone=False):
    return fields.Field(attribute=name, column_name=name, widget=SafeTextWidget(phone=phone))


def choice_field(model, name):
    """A choice column; left blank, it takes the model's default (a new contact's role is
    "other"), as a form would offer it."""
    model_field = model._meta.get_field(name)
    return fields.Field(
        attribute=name,
        column_name=name,
        widget=ChoiceWidget(model_field.choices),
        default=model_field.default,
    )


def date_field(name):
    return fields.Field(attribute=name, column_name=name, widget=DateWidget())


def yes_no_field(name):
    return fields.Field(attribute=name, column_name=name, widget=YesNoWidget())


def is_renewed(field):
    """A column that save() sets to the time of the save."""
    return getattr(field, "auto_now", False)
