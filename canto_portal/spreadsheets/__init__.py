"""Spreadsheet import and export, the portal's way, on top of django-import-export.

Knows nothing of the domain; each app declares its resources with these parts:

* cells: what a cell may hold, and how it becomes a value (widgets);
* formats: CSV and XLSX files as people save them, refused with a reason when unreadable;
* resources: the base resource (natural keys, header checks, row errors that say where and
  what, all or nothing, formula-safe cells, one transaction and one history write per file);
* admin: the import and export buttons, with a confirm step that only the preview can make.
"""
