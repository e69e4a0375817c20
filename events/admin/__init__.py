"""The Django admin for every record. Workflow changes go through the model methods."""

from .. import history  # noqa: F401  (registers history before VersionAdmin would guess it)
from . import briefing, event, story, vocabulary  # noqa: F401
