"""How people and recipients are named in the lists they are picked from: with their details, so two with the
same name are told apart before one is chosen (a decision about a child sent to the wrong address is a real
harm)."""


def recipient_choice(recipient: dict) -> str:
    """A recipient as a picker lists it: the name with postal address and e-mail, or that either is missing."""
    adress = recipient.get("adress") or "ingen postadress"
    epost = recipient.get("epost") or "ingen e-post"
    return f"{recipient['namn']} – {adress} · {epost}"


def person_choices(people: list[dict]) -> list[str]:
    """The persons as a picker lists them, in the same order: the name with title and e-mail; two that would
    still read the same also get their number."""
    texts = []
    for person in people:
        details = [d for d in (person.get("titel"), person.get("epost")) if d]
        texts.append(person["namn"] + (f" – {' · '.join(details)}" if details else ""))
    return [f"{text} (nr {person['id']})" if texts.count(text) > 1 else text for text, person in zip(texts, people)]


MERGED_NOTE = "En mottagare har slagits ihop med en annan i adressboken; listan visar den som finns kvar."


def merged_into(store, recipient_id: int, existing: set[int]) -> int | None:
    """The address-book entry that a chosen recipient (``recipient_id``) has become through merges, when it is
    no longer among ``existing`` (the ids the address book holds now); None when it is still there or was not
    merged. An id still present is never followed: SQLite may give a removed row's id to a new entry."""
    found = recipient_id
    for _ in range(10):   # merged into one that was merged again later
        if found in existing:
            return found if found != recipient_id else None
        record = store.merged_record("mottagare", found)
        if record is None:
            return None
        found = record["efter"]["sammanslagen_med"]
    return None
