"""Errors a user can cause or meet. Each carries a Swedish message that says what happened and what to do."""


class NamndtoolError(Exception):
    """Base for every error shown to a user; ``str(err)`` is the Swedish message."""


class StoreError(NamndtoolError):
    """The store cannot be opened, read or written."""


class DiarienummerError(NamndtoolError, ValueError):
    """A diary number that does not follow KOD/ÅÅÅÅ:N."""


class ValidationError(NamndtoolError):
    """An import file with problems; ``problems`` lists (json_path, Swedish message) pairs."""

    def __init__(self, problems: list[tuple[str, str]]):
        self.problems = problems
        lines = [f"  {path}: {message}" for path, message in problems]
        super().__init__(
            f"Filen kan inte importeras: {len(problems)} fel hittades. Inget har sparats.\n"
            + "\n".join(lines)
        )


class NotFoundError(NamndtoolError):
    """A meeting, ärende or nämnd that does not exist in the store."""


class ConflictError(NamndtoolError):
    """The record was changed by someone else (another window or process) since it was opened."""
