"""Facts about the meeting exchange format (design/exchange-format.md) shared by import and export."""

FORMAT = "namndtool.meeting/1"


def sekretess_from_json(value) -> tuple[int, str | None]:
    """``true`` or ``{"lagrum": …}`` is secret; absent, null or false is public. Returns (flag, lagrum)."""
    if isinstance(value, dict):
        return 1, value.get("lagrum")
    return (1, None) if value is True else (0, None)


def sekretess_to_json(flag: int, lagrum: str | None):
    if not flag:
        return None
    return {"lagrum": lagrum} if lagrum else True


def merge_sekretess(*pairs: tuple[int, str | None]) -> tuple[int, str | None]:
    """Secret if any is secret, with the first provision given."""
    flag = max(p[0] for p in pairs)
    lagrum = next((p[1] for p in pairs if p[1]), None)
    return flag, lagrum if flag else None
