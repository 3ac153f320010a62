"""``namndtool anslagstavla …``: the digital anslagstavla on the command line (KL 8 kap. 9–12 §§).

``publish`` needs the register (it records the anslag); ``expire``, ``withdraw`` and ``list`` work from the
folder alone, so the web server's cron job can run ``namndtool anslagstavla expire --folder /srv/www/anslag``
without a register. (The group is not called ``anslag``: that top-level name is the old spelling of ``protokoll
anslag``.) Their handlers take ``args`` only and are listed in :data:`NO_STORE`; ``cli._run`` calls those without
opening a store.
"""

import sys
from pathlib import Path

_FOLDER_HELP = "mappen som webbservern visar anslagstavlan från"
_TODAY_HELP = "dagens datum ÅÅÅÅ-MM-DD (standard: i dag)"


def add_commands(sub, command, commands) -> None:
    """The ``anslagstavla`` commands in ``sub``, built with cli.py's ``_command(group, name, handler, help)`` and
    ``_commands(parser, metavar)``."""
    group = commands(command(sub, "anslagstavla", None, "den digitala anslagstavlan: publicera anslaget om ett "
                                                        "justerat protokoll, ta ned det när överklagandetiden har "
                                                        "gått ut"), "ÅTGÄRD")
    pub = command(group, "publish", _publish, "publicera anslaget om att protokollet är justerat (sidan, det "
                                              "offentliga protokollet, förstasidan och flödet) och registrera "
                                              "anslagsdagen")
    pub.add_argument("--meeting", type=int, required=True, metavar="ID", help="sammanträdets id")
    pub.add_argument("--folder", type=Path, required=True, metavar="MAPP", help=_FOLDER_HELP)
    pub.add_argument("--base-url", metavar="ADRESS", help="mappens adress på webben, för länkarna i flödet "
                                                          "(anges en gång, sparas i mappen)")
    exp = command(group, "expire", _expire, "ta ned de anslag vars överklagandetid har gått ut (sidan och "
                                            "protokollet tas bort); körs utan register, till exempel varje natt")
    exp.add_argument("--folder", type=Path, required=True, metavar="MAPP", help=_FOLDER_HELP)
    exp.add_argument("--today", metavar="ÅÅÅÅ-MM-DD", help=_TODAY_HELP)
    wd = command(group, "withdraw", _withdraw, "ta ned ett anslag nu; före överklagandetidens slut krävs ett skäl")
    wd.add_argument("--folder", type=Path, required=True, metavar="MAPP", help=_FOLDER_HELP)
    wd.add_argument("--meeting", type=int, required=True, metavar="ID", help="sammanträdets id")
    wd.add_argument("--reason", metavar="TEXT", help="varför anslaget tas ned (krävs före överklagandetidens slut; "
                                                     "sparas i mappens förteckning)")
    wd.add_argument("--today", metavar="ÅÅÅÅ-MM-DD", help=_TODAY_HELP)
    ls = command(group, "list", _list, "visa anslagen som är uppe")
    ls.add_argument("--folder", type=Path, required=True, metavar="MAPP", help=_FOLDER_HELP)


def _publish(store, args) -> None:
    from nämndtool.anslagstavla.publish import publish

    done = publish(store, args.meeting, args.folder, base_url=args.base_url)
    d = done.deadlines
    state = "registrerades" if done.recorded else "var redan registrerat"
    print(f"Anslaget är publicerat: {done.page}")
    print(f"Protokollet (offentlig version): {done.pdf}")
    print(f"Anslaget {state} {done.anslag_upp}. Överklagandetiden löper till och med {d.overklagande_till}; "
          f"anslaget tas ned tidigast {d.anslag_ned_tidigast} (namndtool anslagstavla expire).")
    for warning in done.warnings:
        print(f"Varning: {warning}", file=sys.stderr)


def _expire(args) -> int:
    from nämndtool.anslagstavla.folder import expire

    taken = expire(args.folder, _today(args))
    for t in taken:
        print(f"Nedtaget: {t.entry['organ']} {t.entry['sammantradesdatum']} (överklagandetiden gick ut "
              f"{t.entry['overklagande_till']}); borttaget: {', '.join(t.files) or 'inga filer'}.")
    if not taken:
        print("Inget anslag har gått ut.")
    return 0


def _withdraw(args) -> int:
    from nämndtool.anslagstavla.folder import withdraw

    t = withdraw(args.folder, args.meeting, args.reason, _today(args))
    print(f"Anslaget för {t.entry['organ']} {t.entry['sammantradesdatum']} är nedtaget; borttaget: "
          f"{', '.join(t.files) or 'inga filer'}.")
    return 0


def _list(args) -> int:
    from nämndtool.anslagstavla.folder import current

    notices = current(args.folder)
    if not notices:
        print("Inga anslag är uppe.")
    for a in notices:
        print(f"{a['sammantrade_id']}\t{a['organ']} {a['sammantradesdatum']}\tjusterat {a['justeringsdatum']}\t"
              f"uppe {a['anslag_upp']}–{a['anslag_ned']}\töverklagande till och med {a['overklagande_till']}\t"
              f"{a['sida']}")
    return 0


def _today(args):
    from nämndtool.dates import parse_date

    return parse_date(args.today, "dagens datum (--today)") if args.today else None


NO_STORE = (_expire, _withdraw, _list)
"""Handlers that take ``args`` only: ``cli._run`` calls them without opening a register."""
