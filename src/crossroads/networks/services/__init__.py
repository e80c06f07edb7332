"""Networks' writes: every surface (pages, API, CLI, tasks) calls these functions."""

from .bank import BANK_STATEMENTS, BankResult, import_statement, preview_statement
from .cdr import (
    CALL_RECORDS,
    CDR_MAX_BYTES,
    CdrMapping,
    CdrResult,
    import_cdr,
    import_cdr_previewed,
    preview_cdr,
    preview_cdr_upload,
    read_upload,
)
from .csvmap import CsvKind, CsvResult, import_previewed, preview_upload
from .entities import EntityInput, LinkInput, add_entity, add_link
from .imports import (
    INLINE_BYTES,
    Imported,
    import_ftm,
    queue_ftm_import,
    queue_ftm_upload,
    read_lines,
)
from .resolution import judge

__all__ = ["BANK_STATEMENTS", "CALL_RECORDS", "CDR_MAX_BYTES", "BankResult", "CsvKind", "CsvResult",
           "import_previewed", "import_statement", "preview_statement", "preview_upload",
           "INLINE_BYTES", "CdrMapping", "CdrResult", "EntityInput", "Imported",
           "LinkInput", "add_entity", "add_link", "import_cdr", "import_cdr_previewed",
           "import_ftm", "judge", "preview_cdr", "preview_cdr_upload", "queue_ftm_import",
           "queue_ftm_upload", "read_lines", "read_upload"]
