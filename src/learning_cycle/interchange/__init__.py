"""The interchange format: the whole log as JSON Lines, validated against schemas/ (docs/interchange.md)."""

from .exporter import export_file, export_log
from .importer import ImportResult, import_log
from .migrate import Migration, migrate

__all__ = ["ImportResult", "Migration", "export_file", "export_log", "import_log", "migrate"]
