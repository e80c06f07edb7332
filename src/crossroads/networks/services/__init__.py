"""Networks' writes: every surface (pages, API, CLI, tasks) calls these functions."""

from .cdr import CDR_MAX_BYTES, CdrMapping, CdrResult, import_cdr, preview_cdr, read_upload
from .entities import EntityInput, LinkInput, add_entity, add_link
from .imports import Imported, import_ftm, queue_ftm_import
from .resolution import judge

__all__ = ["CDR_MAX_BYTES", "CdrMapping", "CdrResult", "EntityInput", "Imported", "LinkInput", "add_entity",
           "add_link", "import_cdr", "import_ftm", "judge", "preview_cdr",
           "queue_ftm_import", "read_upload"]
