"""The command line of digital justering (issue 17): ``namndtool protokoll sign-start | sign | sign-status |
sign-cancel | sign-export`` on a meeting, and ``namndtool protokoll verify FIL.pdf`` on any signed protokoll.

``verify`` needs no register: it reads the file. Its handler takes ``args`` only and is listed in :data:`NO_STORE`.
A PKCS#12 passphrase or a card's PIN is read from the environment variable named, or asked for without echo;
never taken on the command line, where other users of the computer could read it.
"""

import getpass
import os
import sys
from pathlib import Path

_MEETING_HELP = "sammanträdets id (se 'namndtool meeting list')"
_TRUST_HELP = ("ett betrott rotcertifikat eller en mapp med sådana (PEM eller DER); kan anges flera gånger. Utöver "
               "dem gäller mappen i miljövariabeln NAMNDTOOL_TRUST_DIR")
TSA_ENV = "NAMNDTOOL_TSA_URL"


def add_commands(group, command) -> None:
    """The digital justering commands in the ``protokoll`` group, built with cli.py's ``_command``."""
    start = command(group, "sign-start", _start, "börja den digitala justeringen: protokollet får fält för "
                                                 "underskrifter och låses")
    start.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)
    sign = command(group, "sign", _sign, "skriv under protokollet med ditt certifikat (PAdES), i tur och ordning: "
                                         "sekreterare, ordförande, justerare")
    sign.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)
    how = sign.add_mutually_exclusive_group(required=True)
    how.add_argument("--pkcs12", type=Path, metavar="FIL", help="certifikatfil (.p12/.pfx)")
    how.add_argument("--pkcs11", type=Path, metavar="MODUL", help="kortläsarens PKCS#11-modul (.so/.dll)")
    sign.add_argument("--token", metavar="ETIKETT", help="kortets etikett (med --pkcs11)")
    sign.add_argument("--key", metavar="ETIKETT", help="nyckelns etikett på kortet, om det har flera (med --pkcs11)")
    sign.add_argument("--secret-env", metavar="VARIABEL",
                      help="miljövariabeln som håller lösenordet eller PIN-koden (annars frågar programmet)")
    sign.add_argument("--tsa", metavar="ADRESS", help="tidsstämpeltjänst (RFC 3161) för PAdES B-T (standard: "
                                                      f"miljövariabeln {TSA_ENV}; utan den B-B)")
    sign.add_argument("--trust", type=Path, action="append", default=[], metavar="CERT", help=_TRUST_HELP)
    status = command(group, "sign-status", _status, "visa underskrifterna och vilka som återstår")
    status.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)
    status.add_argument("--trust", type=Path, action="append", default=[], metavar="CERT", help=_TRUST_HELP)
    cancel = command(group, "sign-cancel", _cancel, "avbryt den digitala justeringen; underskrifterna gäller inte "
                                                    "och protokollet kan ändras igen")
    cancel.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)
    export = command(group, "sign-export", _export, "spara den senaste versionen av PDF-filen som skrivs under")
    export.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)
    export.add_argument("--out", type=Path, required=True, metavar="FIL.pdf", help="filen som skrivs")
    verify = command(group, "verify", _verify, "kontrollera underskrifterna i en PDF-fil: vilka som har skrivit "
                                               "under, om något har ändrats efteråt, problem med certifikaten")
    verify.add_argument("file", type=Path, metavar="FIL.pdf", help="den underskrivna PDF-filen")
    verify.add_argument("--trust", type=Path, action="append", default=[], metavar="CERT", help=_TRUST_HELP)


def _start(store, args) -> None:
    from nämndtool.operations import digital_justering

    signing = digital_justering.start(store, args.meeting)
    print("Den digitala justeringen har börjat och protokollet är låst. Underskrifterna görs i den här ordningen:")
    for s in signing.states:
        print(f"  {s.roll}: {s.namn}")


def _sign(store, args) -> None:
    from nämndtool.operations import digital_justering

    signing = digital_justering.sign(store, args.meeting, _signer(args), trust_roots=_trust(args),
                                     timestamp_url=args.tsa or os.environ.get(TSA_ENV) or None)
    _print_status(signing)


def _status(store, args) -> None:
    from nämndtool.errors import NamndtoolError
    from nämndtool.operations import digital_justering

    signing = digital_justering.status(store, args.meeting, _trust(args))
    if signing is None:
        raise NamndtoolError("Protokollet justeras inte digitalt: ingen digital justering pågår och det är inte "
                             "justerat med digitala underskrifter. Börja med 'namndtool protokoll sign-start'.")
    _print_status(signing)


def _cancel(store, args) -> None:
    from nämndtool.operations import digital_justering

    digital_justering.cancel(store, args.meeting)
    print("Den digitala justeringen är avbruten. Protokollet kan ändras igen; alla skriver under på nytt.")


def _export(store, args) -> None:
    from nämndtool.atomic import write_atomic
    from nämndtool.errors import NamndtoolError

    sha = store.signing_pdf(args.meeting)
    if sha is None:
        raise NamndtoolError("Ingen digital justering pågår för protokollet, så det finns ingen PDF-fil att spara.")
    write_atomic(args.out, store.file_path(sha).read_bytes())
    print(f"Sparade {args.out}.")


def _verify(args) -> int:
    from nämndtool.errors import NamndtoolError
    from nämndtool.signing import report_lines, verify

    try:
        data = args.file.read_bytes()
    except OSError as error:
        raise NamndtoolError(f"Filen {args.file} kunde inte läsas ({error.strerror or error}). Kontrollera "
                             "sökvägen.") from error
    states = verify(data, _trust(args))
    for line in report_lines(states):
        print(line)
    return 0 if states and all(s.valid for s in states) else 1


NO_STORE = (_verify,)
"""Handlers that take ``args`` only: ``cli._run`` calls them without opening a register."""


def _print_status(signing) -> None:
    from nämndtool.signing import report_lines

    for line in report_lines(signing.states):
        print(line)
    if signing.justerad:
        print(f"Alla har skrivit under. Protokollet är justerat {signing.justerad} och låst.")


def _trust(args):
    from nämndtool.signing import load_trust_roots

    return load_trust_roots(args.trust)


def _signer(args):
    from nämndtool.errors import NamndtoolError
    from nämndtool.signing import CardSigner, FileSigner

    secret = _secret(args, "PIN-kod för kortet: " if args.pkcs11 else "Lösenord till certifikatfilen: ")
    if args.pkcs11:
        if not args.token:
            raise NamndtoolError("Ange kortets etikett med --token när du skriver under med --pkcs11.")
        return CardSigner(args.pkcs11, args.token, secret, args.key)
    return FileSigner(args.pkcs12, secret.encode("utf-8") if secret else None)


def _secret(args, prompt: str) -> str:
    from nämndtool.errors import NamndtoolError

    if args.secret_env:
        if args.secret_env not in os.environ:
            raise NamndtoolError(f"Miljövariabeln {args.secret_env} finns inte. Sätt den eller låt programmet fråga "
                                 "efter lösenordet.")
        return os.environ[args.secret_env]
    if not sys.stdin.isatty():
        raise NamndtoolError("Lösenordet eller PIN-koden kan inte frågas efter utan terminal. Ange en "
                             "miljövariabel som håller det med --secret-env.")
    return getpass.getpass(prompt)
