"""What must not be in a public output: the secrets the gate looks for, gathered from the store when the output is
made (so secrecy set a moment ago counts).

- Titles of secret ärenden and of secret stand-alone items. Those of the output's own meeting(s) always; every other secret title of the store when it is long enough (four words
  or more) to be that ärende's and nobody else's. A title that is also a public title, or part of one, is not a
  secret: it cannot tell anything.
- Names tied to a secret ärende, handling or § (counterparts, recipients, whom a § concerns), except names that
  also belong to public matters or to the organisation (ledamöter, staff, organs).
- Diary numbers of the meeting's secret items, where the output may not show them. Lists made under OSL 5 kap.
  2 § (the diary extract, Meddelanden, delegationsbeslut) may show a secret ärende's number with a masked title.
- Files that belong to a secret ärende or are secret handlingar: by SHA-256, and by content (their text, or their
  scanned images), for the meeting's own ärenden. (A file secret anywhere is kept out of public packs and exports
  before the gate, by its SHA-256: ``store.is_secret_file``.)
"""

from dataclasses import dataclass, field, replace
from functools import cached_property

from nämndtool.secrecy.labels import SECRET_TITLE
from nämndtool.secrecy.matching import PhraseIndex, words
from nämndtool.store import Store

MIN_WORDS_OUT_OF_SCOPE = 4
MIN_NAME_CHARS = 6


@dataclass
class Secret:
    text: str
    label: str          # how a message names what it belongs to, e.g. "sekretessärendet SOCN/2023:5"


@dataclass
class SecretFacts:
    titles: list[Secret] = field(default_factory=list)
    names: list[Secret] = field(default_factory=list)
    numbers: dict[str, str] = field(default_factory=dict)     # KOD/ÅÅÅÅ:N → label
    listed_numbers: set[str] = field(default_factory=set)     # numbers an OSL 5:2 list in the output shows …
    listed_pages: set[int] = field(default_factory=set)       # … on these pages (1-based), and only there
    files: dict[str, str] = field(default_factory=dict)       # sha256 → label
    file_names: dict[str, str] = field(default_factory=dict)  # sha256 → stored file name (to know its type)
    store: Store | None = None                                # to read the secret files' content when needed
    verdicts: dict = field(default_factory=dict)              # (sha256, kind) → findings, for these facts only

    @cached_property
    def title_index(self) -> PhraseIndex:
        return PhraseIndex(s.text for s in self.titles)

    @cached_property
    def name_index(self) -> PhraseIndex:
        return PhraseIndex(s.text for s in self.names)


class Scope:
    """What a public output is about, and so which secrets the gate looks for in it. The facts are gathered the
    first time they are asked for: a document rendered only as part of a pack never pays for its own."""

    def __init__(self, store: Store, *, meeting_id: int | None = None, arende_id: int | None = None,
                 osl_lists: bool = False, register: bool = False, arende_ids: list[int] | None = None):
        self.store, self.meeting_id, self.arende_id = store, meeting_id, arende_id
        self.osl_lists, self.register, self.arende_ids = osl_lists, register, arende_ids or []

    @cached_property
    def facts(self) -> SecretFacts:
        if self.register:
            return facts_for_register(self.store, self.arende_ids)
        if self.meeting_id is not None:
            return facts_for_meeting(self.store, self.meeting_id, osl_lists=self.osl_lists)
        if self.arende_id is not None:
            return facts_for_arende(self.store, self.arende_id)
        raise ValueError("a scope names a meeting, an ärende or the register")


def with_listed_pages(facts: SecretFacts, pages: set[int]) -> SecretFacts:
    """The same facts for an output whose OSL 5:2 lists stand on ``pages`` (the pack, a draft carrying it)."""
    return replace(facts, listed_pages=set(pages), verdicts={})


def facts_for_meeting(store: Store, meeting_id: int, *, osl_lists: bool = False) -> SecretFacts:
    """For outputs about one meeting: kallelse, pack, protokoll, utdrag, the exchange file, e-mail drafts.
    ``osl_lists``: the output holds the meeting's Meddelanden and delegationsbeslut lists (the pack), where the
    ärenden they list may stand by number with a masked title."""
    ids = store.meeting_arende_ids(meeting_id)
    if not osl_lists:
        return _facts(store, ids, [meeting_id], numbers_allowed=False)
    listed_ids, listed_numbers = _listed(store, meeting_id)
    facts = _facts(store, sorted({*ids, *listed_ids}), [meeting_id], numbers_allowed=False, file_scope=ids)
    facts.listed_numbers = listed_numbers
    return facts


def _listed(store: Store, meeting_id: int) -> tuple[set[int], set[str]]:
    """The ärenden and diary numbers the meeting's Meddelanden and delegationsbeslut lists show (OSL 5 kap. 2 §):
    the pack sets the pages where those lists stand (``listed_pages``); anywhere else a secret number is a leak."""
    from nämndtool.documents.registry import delegationsbeslut_for_meeting, meddelanden_period

    meeting = store.meeting(meeting_id)
    fran, till = meddelanden_period(store, meeting_id)
    rows = store.diary_entries(meeting["namnd_id"], fran, till, riktning="in")
    rows += delegationsbeslut_for_meeting(store, meeting_id)
    return {r["arende_id"] for r in rows if r["arende_id"]}, {r["diarienummer"] for r in rows if r["diarienummer"]}


def facts_for_arende(store: Store, arende_id: int) -> SecretFacts:
    """For a public ärende's own document (its tjänsteskrivelse): the meetings it is on are its scope."""
    meetings = store.meetings_of_arende(arende_id)
    ids = {arende_id, *(a for m in meetings for a in store.meeting_arende_ids(m))}
    return _facts(store, sorted(ids), meetings, numbers_allowed=False)


def facts_for_register(store: Store, arende_ids: list[int] | None = None) -> SecretFacts:
    """For OSL 5 kap. 2 § lists (diary extract, Meddelanden, delegationsbeslut): numbers may show, titles not; the
    ärenden the list shows are its scope."""
    return _facts(store, arende_ids or [], [], numbers_allowed=True)


def _facts(store: Store, arende_ids: list[int], meeting_ids: list[int], *, numbers_allowed: bool,
           file_scope: list[int] | None = None) -> SecretFacts:
    """``file_scope``: the ärenden whose secret files are compared by content (default: ``arende_ids``); the
    ärenden an OSL 5:2 list names put only their number in the output, never their files."""
    scope = sorted(set(arende_ids))
    in_scope = {a["id"]: a for a in store.secret_arenden(scope)}
    public = {" ".join(words(t)) for t in store.public_titles() if t}
    facts = SecretFacts(store=store)
    candidates: list[Secret] = []
    for a in store.secret_arenden():
        label = f"sekretessärendet {a['diarienummer']}" if a["diarienummer"] else "ett sekretessärende"
        if a["id"] in in_scope or len(words(a["rubrik"])) >= MIN_WORDS_OUT_OF_SCOPE:
            candidates.append(Secret(a["rubrik"], label))
        if a["id"] in in_scope and a["diarienummer"] and not numbers_allowed:
            facts.numbers[a["diarienummer"]] = label
    own_items = {t for m in meeting_ids for t in store.secret_item_titles(m)}
    for title in store.secret_item_titles():
        if title in own_items or len(words(title)) >= MIN_WORDS_OUT_OF_SCOPE:
            candidates.append(Secret(title, "en sekretesspunkt på dagordningen eller en sekretessparagraf"))
    own_decisions = set(store.secret_delegation_texts(scope))
    for text in store.secret_delegation_texts():
        if text in own_decisions or len(words(text)) >= MIN_WORDS_OUT_OF_SCOPE:
            candidates.append(Secret(text, "ett sekretessbelagt delegationsbeslut"))
    facts.titles = _distinctive(candidates, public)
    public_names = {" ".join(words(n)) for n in store.public_names()}
    facts.names = [Secret(n, "ett sekretessärende") for n in sorted(store.secret_names())
                   if _name_is_telling(n) and " ".join(words(n)) not in public_names]
    for f in store.secret_files_of(sorted(set(arende_ids if file_scope is None else file_scope))):
        facts.files[f["sha256"]] = (f"en sekretessbelagd fil i ärendet {f['diarienummer']}" if f["diarienummer"]
                                    else "en sekretessbelagd fil")
        facts.file_names[f["sha256"]] = f["filnamn"] or ""
    return facts


def _distinctive(candidates: list[Secret], public: set[str]) -> list[Secret]:
    """Secret titles that say something: not the placeholder, not a public title, not part of one."""
    placeholder = " ".join(words(SECRET_TITLE))
    kept = [c for c in candidates if (key := " ".join(words(c.text))) and key not in public
            and not key.startswith(placeholder) and (len(key) >= 8)]
    index = PhraseIndex(c.text for c in kept)
    inside_public = {m.key for title in public for m in index.find(title.split())}
    return [c for i, c in enumerate(kept) if i not in inside_public]


def _name_is_telling(name: str) -> bool:
    tokens = words(name)
    return len(tokens) >= 2 or len(name.strip()) >= MIN_NAME_CHARS
