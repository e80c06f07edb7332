"""Networks' writes: every surface (pages, API, CLI, tasks) calls these functions."""

from .entities import EntityInput, LinkInput, add_entity, add_link
from .imports import Imported, import_ftm

__all__ = ["EntityInput", "Imported", "LinkInput", "add_entity", "add_link", "import_ftm"]
