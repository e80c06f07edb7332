"""Networks' writes: every surface (pages, API, CLI, tasks) calls these functions."""

from .cdr import (
    CDR_MAX_BYTES,
    CdrMapping,
    CdrResult,
    import_cdr,
    import_cdr_previewed,
    preview_cdr,
    preview_cdr_upload,
    read_upload,
)
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

__all__ = ["CDR_MAX_BYTES", "INLINE_BYTES", "CdrMapping", "CdrResult", "EntityInput", "Imported",
           "LinkInput", "add_entity", "add_link", "import_cdr", "import_cdr_previewed",
           "import_ftm", "judge", "preview_cdr", "preview_cdr_upload", "queue_ftm_import",
           "queue_ftm_upload", "read_lines", "read_upload"]
