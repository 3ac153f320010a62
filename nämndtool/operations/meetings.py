"""Meeting operations: the nämnd itself, meetings and their agenda."""

from dataclasses import dataclass

from nämndtool import diarienummer as dnr
from nämndtool.errors import NamndtoolError
from nämndtool.store import Store
from nämndtool.store.namnder import email_problem


@dataclass(frozen=True)
class SavedNamnd:
    namnd_id: int
    kod: str
    created: bool


def save_namnd(store: Store, kod: str, namn: str | None = None, *, forvaltning: str | None = None,
               kommun: str | None = None, adress: str | None = None) -> SavedNamnd:
    """Create the nämnd with this code (with its organ), or update the fields given.

    Rules: the code is 2–10 letters (as in diary numbers); a new nämnd needs a name (store)."""
    kod = (kod or "").strip().upper()
    if not dnr.is_valid_code(kod):
        raise NamndtoolError(f'"{kod}" är ingen nämndkod: koden ska vara 2–10 bokstäver, till exempel SOCN.')
    with store.write():
        existed = store.namnd_by_kod(kod) is not None
        namnd_id = store.save_namnd(kod, (namn or "").strip() or None, forvaltning=forvaltning, kommun=kommun,
                                    adress=adress)
    return SavedNamnd(namnd_id, kod, not existed)


def create_meeting(store: Store, organ_id: int, datum: str, fields: dict) -> int:
    """A new meeting; returns its id. Rules (store): one meeting per organ and date; a chair named in
    ``ordforande_namn`` is added to the people when not known, in the same transaction; :func:`meeting_problems`."""
    _refuse(meeting_problems(fields))
    return store.create_meeting(organ_id, datum, fields)


def update_meeting(store: Store, meeting_id: int, organ_id: int, datum: str, fields: dict) -> None:
    """Change a meeting (organ and date included). Rules (store): not a justerat meeting; one meeting per organ
    and date; :func:`meeting_problems`."""
    _refuse(meeting_problems(fields))
    store.update_meeting(meeting_id, organ_id, datum, fields)


def delete_meeting(store: Store, meeting_id: int) -> None:
    """Remove a meeting with its agenda and its draft protokoll; the ärenden stay in the diary.
    Rule: a justerat meeting cannot be removed."""
    with store.write():
        meeting = store.meeting(meeting_id)
        if meeting["status"] == "justerat":
            raise NamndtoolError(f"Sammanträdet {meeting['organ']} {meeting['datum']} är justerat. Dagordningen är "
                                 "låst och sammanträdet kan inte tas bort.")
        store.delete_meeting(meeting_id)


def replace_agenda(store: Store, meeting_id: int, items: list[dict]) -> list[str]:
    """Write the whole agenda as the app's agenda editor holds it; returns warnings (a secret stand-alone item
    the new agenda calls public stays secret). Rules (store): a justerat agenda is locked; items with
    paragraphs keep what the § holds; secrecy is never lifted by an agenda edit."""
    return store.replace_agenda(meeting_id, items)


def save_agenda(store: Store, meeting_id: int, items: list[dict], *, keep_secret: bool = False) -> list[str]:
    """Set the whole agenda, items kept by number (the import's way); returns warnings as :func:`replace_agenda`."""
    return store.save_agenda(meeting_id, items, keep_secret=keep_secret)


# --- for the app (issue 12) ----------------------------------------------------------------------------------


def meeting_problems(fields: dict) -> list[str]:
    """What is wrong with a meeting's fields as typed (the app shows it inline, :func:`create_meeting` and
    :func:`update_meeting` refuse): the address for förhinder must be an e-mail address when given. One organ
    meeting twice on a day is refused by the store, which alone can see every meeting."""
    problem = email_problem(fields.get("forhinder_epost"))
    return [problem] if problem else []


def _refuse(problems: list[str]) -> None:
    if problems:
        raise NamndtoolError("\n".join(problems))
