"""What kommunallagen asks of a protokoll before justering, and the deadlines around justering and anslag.

KL 5 kap. 67 §: for every ärende the protokoll shows the proposals, the order they were put (propositionsordning),
every vote and its result, the decision, who took part, and reservationer. Justering no later than 14 days after
the meeting (KL 6 kap. 35 §); the anslag no later than the second day after justering, kept up at least three weeks
(the appeal period of KL 13 kap.), so it is taken down no earlier than the day after the three weeks end. A period
whose last day is a Saturday, Sunday, holiday or one of the eves ends on the next weekday (lag 1930:173).

The date rules for recording a justering or an anslag, and for correcting one, live here as functions that return
a Swedish sentence or None; the store applies them inside its write transaction, so the command line and the app
obey the same rules and a refused date changes nothing.
"""

import datetime as dt
from dataclasses import dataclass

from nämndtool.dates import add_days, past_date_problem
from nämndtool.helgdagar import day_off, last_day

JUSTERING_DAYS = 14
ANSLAG_DAYS = 2
APPEAL_WEEKS = 3


def missing_for_justering(protokoll: dict | None) -> list[str]:
    """Everything the protokoll lacks before it can be marked klar för justering; empty when complete."""
    if protokoll is None:
        return ["Protokollet är inte påbörjat."]
    missing = []
    if not protokoll["narvaro"]:
        missing.append("Närvaron är inte ifylld.")
    elif not any(n["tjanstgor"] or n["roll"] == "ordforande" for n in protokoll["narvaro"]):
        missing.append("Ingen beslutande (tjänstgörande ledamot eller ersättare) är angiven i närvaron.")
    if not protokoll["justerare"]:
        missing.append("Ingen justerare är utsedd.")
    if not (protokoll.get("sekreterare") or "").strip():
        missing.append("Sekreteraren är inte angiven.")
    if not protokoll["paragrafer"]:
        missing.append("Protokollet har inga paragrafer.")
    for p in protokoll["paragrafer"]:
        missing += [f"§ {p['nr']} {p['rubrik']}: {text}" for text in _missing_in_paragraph(p)]
    return missing


def _missing_in_paragraph(p: dict) -> list[str]:
    missing = []
    if not p["beslut"]:
        missing.append("yrkanden finns men inget beslut." if p["yrkanden"] else "beslutstext saknas.")
    if len(p["yrkanden"]) > 1 and not (p["propositionsordning"] or "").strip():
        missing.append("flera yrkanden men ingen propositionsordning.")
    missing += vote_problems(p)
    for r in p["reservationer"]:
        if not [n for n in r["av"] if n.strip()]:
            missing.append("en reservation saknar vem som reserverat sig.")
    return missing


COUNTS = ("votering_ja", "votering_nej", "votering_avstar")


def vote_tally(p: dict) -> dict | None:
    """The result of a §'s vote as the protokoll prints it, ``{"ja": n, "nej": n, "avstar": n}``: the counts given
    (a count left out is 0), or when none is given the votes per person counted; None when no vote was taken.
    Counts without votes per person are a complete record (the exchange format allows them)."""
    given = [p.get(k) for k in COUNTS]
    if all(c is None for c in given):
        if not p.get("roster"):
            return None
        return {r: sum(1 for v in p["roster"] if v["rost"] == r) for r in ("ja", "nej", "avstar")}
    return dict(zip(("ja", "nej", "avstar"), (c or 0 for c in given)))


def vote_problems(p: dict) -> list[str]:
    """What the record of a vote lacks (KL 5 kap. 67 §: every vote and how it came out). The counts are the result,
    whether given or counted from the votes per person, as the protokoll prints them; only a tie needs the result
    written out (the chair's casting vote decides it). Empty when no vote was taken."""
    tally = vote_tally(p)
    if tally is None:
        return []
    missing = []
    if tally["ja"] == tally["nej"] and not (p.get("votering_resultat") or "").strip():
        missing.append(f"omröstningen slutade lika ({tally['ja']}–{tally['nej']}); skriv resultatet "
                       "(ordförandens utslagsröst).")
    if p.get("roster") and any(p.get(k) is not None for k in COUNTS):
        counts = {r: sum(1 for v in p["roster"] if v["rost"] == r) for r in ("ja", "nej", "avstar")}
        given = {"ja": p["votering_ja"], "nej": p["votering_nej"], "avstar": p["votering_avstar"]}
        if any(given[k] is not None and given[k] != counts[k] for k in counts):
            missing.append("rösterna per ledamot stämmer inte med röstsiffrorna.")
    return missing


@dataclass(frozen=True)
class Deadlines:
    justering_senast: dt.date
    anslag_senast: dt.date | None          # known once justerat
    anslag_ned_tidigast: dt.date | None    # known once the anslag is up
    overklagande_till: dt.date | None      # the last day of the appeal period


def deadlines(meeting: dt.date, justerad: dt.date | None, anslag: dt.date | None) -> Deadlines:
    """Every deadline around a justering, each a period of the law (KL 6 kap. 35 §, 8 kap. 12 §, 13 kap. 5 §) whose
    last day moves to the next weekday when it falls on a Saturday, Sunday, public holiday, midsommarafton, julafton
    or nyårsafton (lag 1930:173). The anslag may come down the day after the appeal period's last day."""
    appeal_end = _period_end(anslag, 7 * APPEAL_WEEKS) if anslag else None
    return Deadlines(
        justering_senast=_period_end(meeting, JUSTERING_DAYS),
        anslag_senast=_period_end(justerad, ANSLAG_DAYS) if justerad else None,
        anslag_ned_tidigast=add_days(appeal_end, 1) if appeal_end else None,
        overklagande_till=appeal_end,
    )


def justering_deadline_text(meeting: dt.date) -> str:
    """The last day of justering as the program prints it, with why it is not the 14th day when it moved."""
    end = _period_end(meeting, JUSTERING_DAYS)
    nominal = add_days(meeting, JUSTERING_DAYS)
    why = f"{JUSTERING_DAYS} dagar efter sammanträdet"
    if end != nominal:
        why += f"; den {JUSTERING_DAYS}:e dagen, {nominal}, är {day_off(nominal)}"
    return f"{end} ({why})"


def _period_end(start: dt.date, days: int) -> dt.date:
    """The last day of a period of ``days`` days from ``start``, by lag 1930:173."""
    return last_day(add_days(start, days))


def justering_problem(meeting: dt.date, justering: dt.date, today: dt.date | None = None) -> str | None:
    """The rule for a justering date: between the meeting and today."""
    problem = past_date_problem(justering, "justeringsdatumet", today)
    if problem is None and justering < meeting:
        problem = f"Justeringen ({justering}) kan inte ske före sammanträdet ({meeting}). Kontrollera datumet."
    return problem


def anslag_problem(justerad: dt.date, anslag: dt.date, today: dt.date | None = None) -> str | None:
    """The rule for an anslag date: not before the justering (for the omedelbart justerade §§: the meeting), not
    in the future. An anslag later than KL 8 kap. 12 § allows is recorded with a warning (deadline_warnings)."""
    problem = past_date_problem(anslag, "anslagsdatumet", today)
    if problem is None and anslag < justerad:
        problem = (f"Anslaget ({anslag}) kan inte sättas upp före justeringen ({justerad}). Ange dagen då anslaget "
                   "sattes upp på anslagstavlan.")
    return problem


def anslag_started(justerad: dt.date, anslag: dt.date | None, today: dt.date | None = None,
                   registered: dt.date | None = None) -> bool:
    """Whether the anslag period has started: a valid anslag is recorded (dated today or earlier, not before the
    justering) and it was recorded before today (``registered``; None for anslag recorded by older versions).

    On the day the anslag is entered the secretary can still mend a typing error in either date; from the next
    day the dates stand on the notice board, the appeal period runs from them, and they are no longer corrected
    in the register. An anslag dated before its justering (only stores from before this rule can hold one) or in
    the future was never a valid anslag and starts nothing."""
    today = today or dt.date.today()
    valid = anslag is not None and justerad <= anslag <= today
    return valid and (registered is None or registered < today)


def correction_problem(meeting: dt.date, justerad: dt.date, anslag: dt.date | None, *, new_justerad: dt.date | None = None,
                       new_anslag: dt.date | None = None, today: dt.date | None = None,
                       registered: dt.date | None = None) -> str | None:
    """The rule for correcting a wrongly entered justering date (``new_justerad``) or anslag date (``new_anslag``).

    ``justerad`` is the date the anslag follows: the justering, or for the omedelbart justerade §§ the meeting.
    A correction is allowed until the anslag period has started (:func:`anslag_started`): both dates on the day
    the anslag is entered (``registered``), the justering date as long as no valid anslag is recorded, an anslag
    date recorded earlier only while it is invalid. The corrected date obeys the same rules as a new one.
    """
    if anslag_started(justerad, anslag, today, registered):
        return (f"Anslaget sattes upp {anslag} och överklagandetiden löper från det. Datumen kan inte längre rättas "
                "i registret; ett fel rättas genom ett nytt anslag eller ett nytt beslut.")
    if new_justerad is not None:
        return justering_problem(meeting, new_justerad, today)
    if anslag is None:
        return "Inget anslag är registrerat, så det finns inget anslagsdatum att rätta. Registrera anslaget i stället."
    return anslag_problem(justerad, new_anslag, today)


def deadline_warnings(meeting: dt.date, justerad: dt.date | None, anslag: dt.date | None, today: dt.date) -> list[str]:
    """Swedish warnings for a deadline that has passed or is broken."""
    d = deadlines(meeting, justerad, anslag)
    warnings = []
    if justerad is None and today > d.justering_senast:
        warnings.append(f"Protokollet skulle ha justerats senast {justering_deadline_text(meeting)}.")
    if justerad is not None and justerad > d.justering_senast:
        warnings.append(f"Protokollet justerades {justerad}, efter sista dag {d.justering_senast}.")
    if justerad is not None and anslag is None and today > d.anslag_senast:
        warnings.append(f"Anslaget om justeringen skulle ha satts upp senast {d.anslag_senast}.")
    if anslag is not None and d.anslag_senast is not None and anslag > d.anslag_senast:
        warnings.append(f"Anslaget sattes upp {anslag}, efter sista dag {d.anslag_senast}.")
    if anslag is not None and justerad is not None and anslag < justerad:
        warnings.append("Anslaget kan inte sättas upp före justeringen.")
    return warnings
