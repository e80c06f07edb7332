"""Networks' writes: every surface (pages, API, CLI, tasks) calls these functions."""

from .cdr import CdrMapping, CdrResult, import_cdr, preview_cdr
from .entities import EntityInput, LinkInput, add_entity, add_link
from .imports import Imported, import_ftm, queue_ftm_import
from .resolution import judge

__all__ = ["CdrMapping", "CdrResult", "EntityInput", "Imported", "LinkInput", "add_entity",
           "add_link", "import_cdr", "import_ftm", "judge", "preview_cdr",
           "queue_ftm_import"]
