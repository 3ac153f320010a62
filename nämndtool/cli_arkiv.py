"""``namndtool archive …``: archive deliveries as E-ARK SIPs (FGS Paketstruktur 2.0 with FGS Ärendehantering 2.0)
and ``namndtool archive verify MAPP``, which checks a package as the receiving archive would.

``verify`` needs no register: it reads the package. Its handler takes ``args`` only and is listed in
:data:`NO_STORE`; ``cli._run`` calls it without opening a store."""

from pathlib import Path


def add_commands(sub, command, namnd_help: str, meeting_help: str) -> None:
    """The ``archive`` command and its ``verify`` in ``sub``, built with cli.py's ``_command``."""
    arc = command(sub, "archive", _archive, "skriv en arkivleverans: ett E-ARK-paket (FGS Paketstruktur 2.0) med "
                                            "ärendena beskrivna enligt FGS Ärendehantering 2.0 och deras filer")
    which = arc.add_mutually_exclusive_group()
    which.add_argument("--case", metavar="DIARIENR", help="ett ärende")
    which.add_argument("--year", type=int, metavar="ÅR", help="årets avslutade ärenden, justerade protokoll och "
                                                               "delegationsbeslut")
    which.add_argument("--meeting", type=int, metavar="ID", help=f"{meeting_help}: det justerade protokollet, "
                                                                 "ärendena som beslutades och delegationsbesluten "
                                                                 "som anmäldes")
    arc.add_argument("--namnd", metavar="KOD", help=namnd_help)
    arc.add_argument("--out", type=Path, metavar="MAPP", help="mappen där paketet skrivs (som en egen mapp)")
    steps = arc.add_subparsers(metavar="[verify]", title="kontroll")
    ver = command(steps, "verify", _verify, "kontrollera ett arkivpaket: scheman, kontrollsummor, att varje fil i "
                                            "METS.xml finns och att ingen fil saknas i förteckningen")
    ver.add_argument("folder", type=Path, metavar="MAPP", help="paketets mapp, eller en mapp med flera paket")


def _archive(store, args) -> int:
    from nämndtool.cli import _arende
    from nämndtool.earkiv.package import export_arende, export_meeting, export_year
    from nämndtool.errors import NamndtoolError

    if not (args.case or args.year or args.meeting):
        raise NamndtoolError("Ange vad som ska arkiveras: --case DIARIENR, --year ÅR eller --meeting ID.")
    if args.out is None:
        raise NamndtoolError("Ange mappen där paketet ska skrivas med --out MAPP.")
    if args.case:
        package = export_arende(store, _arende(store, args.case)["id"], args.out)
    elif args.meeting:
        package = export_meeting(store, args.meeting, args.out)
    else:
        package = export_year(store, store.the_namnd(args.namnd)["id"], args.year, args.out)
    print(f"Arkivpaketet {package.folder} är skrivet och kontrollerat: {package.contents}.")
    if package.not_archival:
        print(f"{package.not_archival} filer är inte i arkivformat (PDF/A); de står i "
              f"{package.folder / 'documentation' / 'Formatkontroll.txt'} med sina kontrollsummor.")
    return 0


def _verify(args) -> int:
    from nämndtool.earkiv.verify import verify

    failed = 0
    for checked in verify(args.folder):
        if checked.problems:
            failed += 1
            print(f"{checked.folder}: {len(checked.problems)} fel")
            for problem in checked.problems:
                print(f"  - {problem}")
        else:
            print(f"{checked.folder}: paketet är helt ({checked.files} förtecknade filer: dokument, metadata och "
                  "scheman; kontrollsummorna stämmer).")
    return 1 if failed else 0


NO_STORE = (_verify,)
"""Handlers that take ``args`` only: ``cli._run`` calls them without opening a register."""
