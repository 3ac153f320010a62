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
