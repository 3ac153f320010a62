"""The command line: ``namndtool [--db FIL] KOMMANDO``. User mistakes give a Swedish message and exit 1.

One naming rule for every command and option: verbs and generic words are English (``case new``, ``close``,
``correct-date``, ``--name``, ``--code``, ``--date``, ``--out``, ``--title``, ``--secret``); the domain words of
GLOSSARY.md stay Swedish, because English would blur them: ``protokoll``; ``justera`` and ``anslag`` (the legal acts
of justering and anslag, not any "approve" or "post"); the documents ``kallelse``, ``tjansteskrivelse``,
``handlingar``, ``utdrag``; ``--namnd``, ``--forvaltning``, ``--handlaggare``, ``--osl``, ``--justering``,
``--anslag`` and ``--omedelbara`` (the omedelbart justerade paragrafer, a part of the justering); for recording a
meeting ``yrkande``, ``reservation``, ``--propositionsordning``, ``--sekreterare``, ``--justerare``, ``--forhinder``,
``--tema`` and the roles (``ordforande``, ``ersattare`` …), which are the protokoll's own words. Swedish words are
spelt without å ä ö so that they can be typed on any keyboard. Commands are grouped by what they act on (``case``,
``meeting``, ``protokoll``, ``diary``, ``delegation``); ``render`` writes any document.

Old spellings (``init --namn --kod``, the top-level ``justera``, ``anslag``, ``correct-date``, ``distribute``,
``confirm-address``) still work for one release: they parse as the new names, are shown in no help, and print
nothing new. They are marked ``old`` below; delete them in the next release.
"""

import importlib
import json
import os
import sys
from pathlib import Path

from nämndtool import __version__, cli_anslag, cli_arkiv, cli_signering, labels
from nämndtool import diarienummer as dnr
from nämndtool.argparse_sv import SUPPRESS, Namespace, Parser
from nämndtool.errors import NamndtoolError, ValidationError
from nämndtool.paths import default_store_path, store_location
from nämndtool.secrecy.labels import secrecy_status
from nämndtool.text import nfc

_OSL_HELP = 'sekretessgrunden, till exempel "26 kap. 1 § OSL"'
_NAMND_HELP = "nämndens kod, när registret har flera nämnder"
_MEETING_HELP = "sammanträdets id"
ROLES = ("ordforande", "vice_ordforande", "ledamot", "ersattare", "tjansteperson")
CHANNELS = ("post", "e-post", "internpost", "bud")


def build_parser() -> Parser:
    """The whole command line; each command's handler is its ``handler`` default."""
    p = Parser(prog="namndtool",
               description="Nämndtool: diarium, sammanträden, kallelser och handlingar för en kommunal nämnd.")
    p.add_argument("--db", type=store_location, metavar="REGISTER",
                   help=f"registrets fil (standard: {default_store_path()}), eller ett delat register på en "
                        "databasserver: postgresql://server/databas")
    p.add_argument("--version", action="version", version=f"Nämndtool {__version__}", help="visa versionen")
    sub = _commands(p, "KOMMANDO", "kommandon")

    init = _command(sub, "init", _init, "skapa registret och en nämnd (eller ändra nämndens uppgifter)")
    init.add_argument("--name", required=True, metavar="NAMN", help="nämndens namn, till exempel Socialnämnden")
    init.add_argument("--code", required=True, metavar="KOD", help="nämndens kod i diarienumren, till exempel SOCN")
    init.add_argument("--forvaltning", metavar="FÖRVALTNING", help="förvaltningen, till exempel Socialförvaltningen")
    init.add_argument("--municipality", metavar="KOMMUN", help="kommunen, till exempel Katrineholms kommun")
    init.add_argument("--address", metavar="ADRESS", help="förvaltningens postadress")
    for old, new in (("--namn", "--name"), ("--kod", "--code"), ("--kommun", "--municipality"),
                     ("--adress", "--address")):
        init.add_old_option(old, new)

    imp = _command(sub, "import", _import, "läs in ett sammanträde från en JSON-fil (utbytesformatet)")
    imp.add_argument("file", type=Path, metavar="FIL")

    exp = _command(sub, "export", _export, "skriv ett sammanträde till utbytesformatet")
    exp.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)
    exp.add_argument("--out", type=Path, metavar="FIL", help="JSON-fil; bilagorna skrivs i mappen bilagor/ bredvid")
    _add_version_flags(exp)

    case = _commands(_command(sub, "case", None, "ärenden i diariet"))
    new = _command(case, "new", _case_new, "registrera ett nytt ärende (skriver ut diarienumret)")
    new.add_argument("--title", required=True, metavar="TEXT", help="ärendemeningen")
    new.add_argument("--public-title", metavar="TEXT", help="offentlig titel för det offentliga diariet")
    new.add_argument("--secret", action="store_true", help="ärendet omfattas av sekretess")
    new.add_argument("--osl", metavar="LAGRUM", help=_OSL_HELP)
    new.add_argument("--handlaggare", metavar="NAMN", help="handläggarens namn")
    new.add_argument("--namnd", metavar="KOD", help=_NAMND_HELP)
    lst = _command(case, "list", _case_list, "lista och sök i diariet")
    lst.add_argument("--search", metavar="TEXT", help="sök i diarienummer, rubrik och klassificering")
    lst.add_argument("--year", type=int, metavar="ÅR", help="bara ärenden från detta år")
    lst.add_argument("--json", action="store_true", help="skriv JSON")
    show = _command(case, "show", _case_show, "visa ett ärende")
    show.add_argument("number", metavar="DIARIENR")
    show.add_argument("--json", action="store_true", help="skriv JSON")
    hand = _command(case, "add-handling", _case_add_handling, "registrera en handling i ett ärende")
    hand.add_argument("number", metavar="DIARIENR")
    hand.add_argument("--description", required=True, metavar="TEXT", help="kort beskrivning av handlingen")
    hand.add_argument("--counterpart", metavar="NAMN", help="avsändare eller mottagare")
    hand.add_argument("--direction", choices=("in", "ut", "upprattad"), default="in", help="in, ut eller upprattad")
    hand.add_argument("--date", metavar="ÅÅÅÅ-MM-DD", help="datum (standard: i dag)")
    hand.add_argument("--file", type=Path, metavar="FIL", help="filen som hör till handlingen")
    hand.add_argument("--secret", action="store_true", help="handlingen omfattas av sekretess")
    hand.add_argument("--osl", metavar="LAGRUM", help=_OSL_HELP)
    hand.add_argument("--bilaga", action="store_true",
                      help="filen blir en bilaga till tjänsteskrivelsen (sist bland bilagorna)")
    hist = _command(case, "history", _case_history, "visa ändringshistoriken för ett ärende")
    hist.add_argument("number", metavar="DIARIENR")
    seal = _command(case, "seal", _case_seal, "markera ett ärende som sekretess (gäller genast i allt som skapas)")
    seal.add_argument("number", metavar="DIARIENR")
    seal.add_argument("--osl", metavar="LAGRUM", required=True, help=_OSL_HELP)
    unseal = _command(case, "unseal", _case_unseal, "häv sekretessen för ett ärende (sparas med skäl, vem och när)")
    unseal.add_argument("number", metavar="DIARIENR")
    unseal.add_argument("--reason", required=True, metavar="TEXT", help="varför sekretessen hävs")
    close = _command(case, "close", _case_close, "avsluta ett ärende")
    close.add_argument("number", metavar="DIARIENR")
    close.add_argument("--date", metavar="ÅÅÅÅ-MM-DD", help="avslutsdatum (standard: i dag)")

    diary = _commands(_command(sub, "diary", None, "diarieutdrag"))
    ext = _command(diary, "extract", _diary_extract, "utdrag ur diariet för en period")
    ext.add_argument("--from", dest="fran", required=True, metavar="ÅÅÅÅ-MM-DD", help="periodens första dag")
    ext.add_argument("--to", dest="till", required=True, metavar="ÅÅÅÅ-MM-DD", help="periodens sista dag")
    _add_version_flags(ext)
    ext.add_argument("--namnd", metavar="KOD", help=_NAMND_HELP)
    ext.add_argument("--format", choices=("pdf", "docx"), required=True, help="pdf eller docx")
    ext.add_argument("--out", type=Path, required=True, metavar="FIL", help="filen som skrivs")

    deleg = _commands(_command(sub, "delegation", None, "delegationsbeslut"))
    dadd = _command(deleg, "add", _delegation_add, "registrera ett delegationsbeslut")
    dadd.add_argument("--date", required=True, metavar="ÅÅÅÅ-MM-DD", help="beslutsdatum")
    dadd.add_argument("--by", required=True, metavar="NAMN", help="beslutsfattaren")
    dadd.add_argument("--point", required=True, metavar="PUNKT", help="punkten i delegationsordningen")
    dadd.add_argument("--description", required=True, metavar="TEXT", help="kort beskrivning av beslutet")
    dadd.add_argument("--case", metavar="DIARIENR", help="ärendet beslutet hör till")
    dadd.add_argument("--secret", action="store_true", help="beslutet omfattas av sekretess")
    dadd.add_argument("--osl", metavar="LAGRUM", help=_OSL_HELP)
    dadd.add_argument("--namnd", metavar="KOD", help=_NAMND_HELP)
    dlist = _command(deleg, "list", _delegation_list, "lista delegationsbeslut")
    dlist.add_argument("--unreported", action="store_true", help="bara de som inte anmälts")
    dlist.add_argument("--json", action="store_true", help="skriv JSON")
    dlist.add_argument("--namnd", metavar="KOD", help=_NAMND_HELP)
    drep = _command(deleg, "report", _delegation_report, "anmäl ej anmälda delegationsbeslut vid ett sammanträde")
    drep.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)

    meeting = _commands(_command(sub, "meeting", None, "sammanträden"))
    mlist = _command(meeting, "list", _meeting_list, "lista sammanträden, kommande först")
    mlist.add_argument("--json", action="store_true", help="skriv JSON")
    mshow = _command(meeting, "show", _meeting_show, "visa ett sammanträde med dagordning")
    mshow.add_argument("id", type=int, metavar="ID")
    mshow.add_argument("--json", action="store_true", help="skriv JSON")
    _meeting_cycle_commands(meeting)
    mseal = _command(meeting, "seal-item", _meeting_seal_item,
                     "markera en punkt som sekretess (en punkt med ärende: ärendet)")
    mseal.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)
    mseal.add_argument("--item", type=int, required=True, metavar="NR", help="punktens nummer på dagordningen")
    mseal.add_argument("--osl", required=True, metavar="LAGRUM", help=_OSL_HELP)
    munseal = _command(meeting, "unseal-item", _meeting_unseal_item,
                       "häv sekretessen för en punkt utan ärende (med skäl)")
    munseal.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)
    munseal.add_argument("--item", type=int, required=True, metavar="NR", help="punktens nummer på dagordningen")
    munseal.add_argument("--reason", required=True, metavar="TEXT", help="varför sekretessen hävs")
    dist = _command(meeting, "distribute", _distribute,
                    "e-postutkast (.eml) med offentlig kallelse och handlingar till ledamöter och ersättare")
    dist.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)
    dist.add_argument("--out", type=Path, required=True, metavar="MAPP", help="mappen där sändlistan och utkasten skrivs")
    sub.add_old_name("distribute", dist)

    render = _commands(_command(sub, "render", None, "skapa kallelse, tjänsteskrivelse, handlingar, protokoll eller "
                                                     "protokollsutdrag som PDF eller Word"), "DOKUMENT")
    kal = _command(render, "kallelse", _render_kallelse, "kallelsen till ett sammanträde")
    kal.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)
    _add_version_flags(kal)
    kal.add_argument("--format", choices=("pdf", "docx"), required=True, help="pdf eller docx")
    kal.add_argument("--out", type=Path, required=True, metavar="FIL", help="filen som skrivs")
    tjs = _command(render, "tjansteskrivelse", _render_tjansteskrivelse, "tjänsteskrivelsen i ett ärende")
    which = tjs.add_mutually_exclusive_group(required=True)
    which.add_argument("--case", metavar="DIARIENR", help="ärendets diarienummer")
    which.add_argument("--meeting", type=int, metavar="ID", help="sammanträdets id (med --item)")
    tjs.add_argument("--item", type=int, metavar="NR", help="punktens nummer på dagordningen (med --meeting)")
    tjs.add_argument("--format", choices=("pdf", "docx"), required=True, help="pdf eller docx")
    tjs.add_argument("--out", type=Path, required=True, metavar="FIL", help="filen som skrivs")
    han = _command(render, "handlingar", _render_handlingar, "kallelse med alla tjänsteskrivelser och bilagor, som en "
                   "PDF; med --both den offentliga och den interna versionen i samma körning (delarna görs en gång)")
    han.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)
    version = han.add_mutually_exclusive_group(required=True)
    version.add_argument("--public", dest="version", action="store_const", const="public",
                         help="offentlig version utan sekretessärenden")
    version.add_argument("--internal", dest="version", action="store_const", const="internal",
                         help="intern version med allt")
    version.add_argument("--both", dest="version", action="store_const", const="both",
                         help="båda: den offentliga till --out, den interna till --internal-out")
    han.add_argument("--out", type=Path, required=True, metavar="FIL.pdf",
                     help="PDF-filen som skrivs (med --both: den offentliga versionen)")
    han.add_argument("--internal-out", type=Path, metavar="FIL.pdf",
                     help="med --both: PDF-filen för den interna versionen")
    prot = _command(render, "protokoll", _render_protokoll, "protokollet för ett sammanträde")
    prot.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)
    _add_version_flags(prot)
    prot.add_argument("--omedelbara", action="store_true", help="bara de omedelbart justerade paragraferna")
    prot.add_argument("--format", choices=("pdf", "docx"), required=True, help="pdf eller docx")
    prot.add_argument("--out", type=Path, required=True, metavar="FIL", help="filen som skrivs")
    utd = _command(render, "utdrag", _render_utdrag, "protokollsutdrag för en paragraf")
    utd.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)
    utd.add_argument("--paragraph", type=int, required=True, metavar="N", help="paragrafens nummer (§ N)")
    utd.add_argument("--recipient", metavar="NAMN", help="en av beslutets mottagare")
    utd.add_argument("--bestyrkt-datum", metavar="ÅÅÅÅ-MM-DD",
                     help="datumet i utdragsbestyrkandet (krävs när protokollet är justerat)")
    utd.add_argument("--format", choices=("pdf", "docx"), required=True, help="pdf eller docx")
    utd.add_argument("--out", type=Path, required=True, metavar="FIL", help="filen som skrivs")

    protokoll = _commands(_command(sub, "protokoll", None, "protokollet: paragrafer, justering, anslag, rättade "
                                                           "datum och bekräftade adresser"))
    par = _command(protokoll, "paragraphs", _paragraphs, "skapa en paragraf för varje punkt på dagordningen som "
                   "saknar en, numrerad i organets serie för året")
    par.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)
    par.add_argument("--json", action="store_true", help="skriv de nya paragraferna som JSON (nummer, punkt, rubrik)")
    _protokoll_cycle_commands(protokoll)
    jus = _command(protokoll, "justera", _justera, "registrera justeringen; protokollet låses")
    jus.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)
    jus.add_argument("--date", required=True, metavar="ÅÅÅÅ-MM-DD", help="justeringens datum")
    sub.add_old_name("justera", jus)
    ans = _command(protokoll, "anslag", _anslag, "registrera dagen då anslaget om justeringen sattes upp")
    ans.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)
    ans.add_argument("--date", required=True, metavar="ÅÅÅÅ-MM-DD", help="anslagets datum")
    ans.add_argument("--omedelbara", action="store_true", help="anslaget för de omedelbart justerade paragraferna")
    sub.add_old_name("anslag", ans)
    cor = _command(protokoll, "correct-date", _correct_date, "rätta ett felinskrivet justerings- eller anslagsdatum "
                                                             "(med skäl), fram till att anslagstiden har börjat")
    cor.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)
    which_date = cor.add_mutually_exclusive_group(required=True)
    which_date.add_argument("--justering", metavar="ÅÅÅÅ-MM-DD", help="det rätta justeringsdatumet")
    which_date.add_argument("--anslag", metavar="ÅÅÅÅ-MM-DD", help="det rätta anslagsdatumet")
    cor.add_argument("--omedelbara", action="store_true", help="anslaget för de omedelbart justerade paragraferna")
    cor.add_argument("--reason", required=True, metavar="TEXT", help="varför datumet rättas")
    sub.add_old_name("correct-date", cor)
    conf = _command(protokoll, "confirm-address", _confirm_address, "bekräfta att du har kontrollerat en mottagares "
                    "postadress för ett beslut (krävs för utdrag av sekretessparagrafer)")
    conf.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)
    conf.add_argument("--paragraph", type=int, required=True, metavar="N", help="paragrafens nummer (§ N)")
    conf.add_argument("--recipient", required=True, metavar="NAMN", help="mottagarens namn")
    conf.add_argument("--by", metavar="NAMN", help="ditt namn, som försättsbladet visar (standard: miljövariabeln "
                      "NAMNDTOOL_NAMN); inloggningen sparas i ändringsloggen")
    sub.add_old_name("confirm-address", conf)
    _mark_sent_command(protokoll)
    cli_signering.add_commands(protokoll, _command)
    cli_anslag.add_commands(sub, _command, _commands)

    cli_arkiv.add_commands(sub, _command, _NAMND_HELP, _MEETING_HELP)

    bak = _command(sub, "backup", _backup, "ta en säkerhetskopia av registret och dess filer")
    bak.add_argument("--out", type=Path, metavar="MAPP", help="mappen för säkerhetskopior (standard: bredvid registret)")
    bak.add_argument("--keep", type=int, default=14, metavar="N", help="behåll de N senaste kopiorna (standard 14)")
    res = _command(sub, "restore", _restore, "återställ registret från en säkerhetskopia (kontrolleras först)")
    res.add_argument("--from", dest="source", type=Path, required=True, metavar="MAPP", help="säkerhetskopians mapp")
    mig = _command(sub, "migrate", _migrate, "flytta hela registret mellan en fil och en databasserver (kontrolleras "
                   "efteråt)")
    mig.add_argument("--from", dest="source", type=store_location, required=True, metavar="REGISTER",
                     help="registret som flyttas: en fil eller postgresql://server/databas")
    mig.add_argument("--to", dest="target", type=store_location, required=True, metavar="REGISTER",
                     help="ett nytt, tomt register: en ny fil eller en tom databas (postgresql://server/databas)")
    chk = _command(sub, "check", _check, "kontrollera registret och dess filer")
    chk.add_argument("--full", action="store_true",
                     help="räkna om kontrollsumman för varje fil och kontrollera diarieserier, datum och kvarlämnade "
                          "filer (långsamt)")
    chk.add_argument("--repair", action="store_true",
                     help="laga det som kan lagas utan att något går förlorat (diarieserierna) och visa vad som gjordes")

    brand = _command(sub, "branding", _branding, "visa var profilfilen (kommun, logotyp, typsnitt, färger) ligger")
    brand.add_argument("--init", action="store_true", help="skapa profilfilen med standardvärdena att ändra i")

    _command(sub, "demo", _demo, "fyll ett tomt register med en exempelnämnd (Socialnämnden)")
    _admin_commands(sub)
    gui = _command(sub, "gui", _gui, "öppna skrivbordsprogrammet")
    # --db also after the command, and the store as a plain argument: namndtool-gui --db FIL, or a double-clicked file
    gui.add_argument("--db", type=store_location, default=SUPPRESS, metavar="REGISTER",
                     help="registrets fil eller postgresql://server/databas")
    gui.add_argument("file", type=Path, nargs="?", metavar="FIL", help="registrets fil (samma som --db)")
    return p


def _admin_commands(sub) -> None:
    """``admin``: the shared register's schema, roles and users (nämndtool/admin.py, docs/delat-register.md)."""
    admin = _commands(_command(sub, "admin", None, "delat register på en databasserver: schema, roller och användare"))
    _command(admin, "init", _admin_init, "skapa eller uppdatera registret, dess grupproller och behörigheter")
    add = _command(admin, "add-user", _admin_add_user, "ge en inloggning en roll i registret (skapar inloggningen)")
    add.add_argument("login", metavar="INLOGGNING", help="inloggningen, till exempel Windows-användarnamnet")
    add.add_argument("--role", required=True, choices=("sekreterare", "handlaggare", "lasare", "arkivarie"),
                     help="sekreterare, handlaggare, lasare eller arkivarie")
    add.add_argument("--person", metavar="NAMN", help="personen i registret (för en handläggare: vars ärenden)")
    add.add_argument("--password-prompt", action="store_true",
                     help="fråga efter ett lösenord (annars loggar inloggningen in med GSSAPI/SSPI)")
    remove = _command(admin, "remove-user", _admin_remove_user, "ta bort en inloggnings roll i registret")
    remove.add_argument("login", metavar="INLOGGNING")
    _command(admin, "users", _admin_users, "visa vilka inloggningar som har vilken roll")


def _meeting_cycle_commands(meeting) -> None:
    """Creating a meeting and building its agenda one item at a time."""
    create = _command(meeting, "create", _meeting_create, "skapa ett sammanträde (skriver ut dess id)")
    create.add_argument("--date", required=True, metavar="ÅÅÅÅ-MM-DD", help="sammanträdets datum")
    create.add_argument("--time", metavar="TT:MM", help="klockslaget (standard: som förra sammanträdet)")
    create.add_argument("--place", metavar="PLATS", help="lokalen (standard: som förra sammanträdet)")
    create.add_argument("--organ", metavar="ORGAN", help="nämnden eller ett utskott (standard: nämnden)")
    create.add_argument("--chair", metavar="NAMN", help="ordföranden (standard: ordföranden i ledamotslistan)")
    create.add_argument("--forhinder-name", metavar="NAMN", help="förhinder anmäls till (standard: som förra gången)")
    create.add_argument("--forhinder-email", metavar="E-POST", help="e-postadress för förhinder")
    create.add_argument("--forhinder-phone", metavar="TELEFON", help="telefonnummer för förhinder")
    create.add_argument("--namnd", metavar="KOD", help=_NAMND_HELP)
    create.add_argument("--json", action="store_true", help="skriv JSON")

    add = _command(meeting, "add-item", _meeting_add_item, "lägg en punkt på dagordningen: ett ärende, en "
                   "standardpunkt, ett tema eller en punkt utan ärende")
    add.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)
    kind = add.add_mutually_exclusive_group(required=True)
    kind.add_argument("--case", metavar="DIARIENR", help="ett ärende i diariet")
    kind.add_argument("--standard", metavar="RUBRIK", help='en standardpunkt, till exempel "Val av justerare"')
    kind.add_argument("--tema", metavar="RUBRIK", help="en temapunkt (en dragning)")
    kind.add_argument("--title", metavar="RUBRIK", help="en punkt utan ärende i diariet")
    add.add_argument("--secret", action="store_true", help="punkten omfattas av sekretess (en punkt utan ärende)")
    add.add_argument("--osl", metavar="LAGRUM", help=_OSL_HELP)
    add.add_argument("--note", metavar="TEXT", help='skrivs under punkten i kallelsen, till exempel "Handlingarna '
                                                   'dukas"')
    add.add_argument("--position", type=int, metavar="NR", help="punktens nummer (standard: där punkten hör hemma)")
    add.add_argument("--json", action="store_true", help="skriv JSON")
    move = _command(meeting, "move-item", _meeting_move_item, "flytta en punkt på dagordningen")
    move.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)
    move.add_argument("--item", type=int, required=True, metavar="NR", help="punktens nummer på dagordningen")
    move.add_argument("--to", type=int, required=True, metavar="NR", help="punktens nya nummer")
    remove = _command(meeting, "remove-item", _meeting_remove_item, "ta bort en punkt från dagordningen (ärendet "
                                                                   "finns kvar i diariet)")
    remove.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)
    remove.add_argument("--item", type=int, required=True, metavar="NR", help="punktens nummer på dagordningen")
    copy = _command(meeting, "copy-agenda", _meeting_copy_agenda, "kopiera standardpunkterna och de öppna ärendena "
                                                                   "från ett annat sammanträdes dagordning")
    copy.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)
    copy.add_argument("--from", dest="source", type=int, required=True, metavar="ID",
                      help="sammanträdet som dagordningen kopieras från")
    status = _command(meeting, "status", _meeting_status, "visa eller ändra sammanträdets status (planerat, kallat, "
                                                         "genomfört; justerat sätts av justeringen)")
    status.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)
    status.add_argument("--set", metavar="STATUS", help="planerat, kallat eller genomfört")


def _protokoll_cycle_commands(protokoll) -> None:
    """Recording the meeting: attendance, the header, and per § the decision, yrkanden, a vote, reservationer."""
    show = _command(protokoll, "show", _protokoll_show, "visa protokollet: närvaro, justerare och paragrafer")
    show.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)
    show.add_argument("--json", action="store_true", help="skriv JSON")

    att = _command(protokoll, "attendance", _protokoll_attendance, "närvaron: hämta ledamotslistan, eller lägg till, "
                                                                   "ändra eller ta bort en person")
    att.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)
    who = att.add_mutually_exclusive_group(required=True)
    who.add_argument("--from-roster", action="store_true", help="lägg till ledamöter och ersättare ur ledamotslistan "
                                                                "som inte redan står i närvaron")
    who.add_argument("--person", metavar="NAMN", help="personen som läggs till eller ändras")
    who.add_argument("--remove", metavar="NAMN", help="personen som tas bort ur närvaron")
    att.add_argument("--role", choices=ROLES, help="roll: " + ", ".join(ROLES))
    att.add_argument("--party", metavar="PARTI", help="partiet")
    att.add_argument("--title", metavar="TITEL", help="titeln (för en tjänsteperson)")
    state = att.add_mutually_exclusive_group()
    state.add_argument("--serving", action="store_true", help="tjänstgör (beslutar)")
    state.add_argument("--not-serving", action="store_true", help="närvarande men tjänstgör inte")
    state.add_argument("--forhinder", action="store_true", help="hade förhinder och var inte med")
    att.add_argument("--replaces", metavar="NAMN", help="ledamoten som en tjänstgörande ersättare ersätter")
    att.add_argument("--from-paragraph", type=int, metavar="N", help="kom till sammanträdet vid § N")
    att.add_argument("--to-paragraph", type=int, metavar="N", help="lämnade sammanträdet efter § N")
    att.add_argument("--json", action="store_true", help="skriv närvaron som JSON")

    head = _command(protokoll, "header", _protokoll_header, "protokollets huvud: sekreterare, justerare, plats och "
                                                            "dag för justeringen")
    head.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)
    head.add_argument("--sekreterare", metavar="NAMN", help="protokollets sekreterare")
    head.add_argument("--justerare", action="append", metavar="NAMN", help="en justerare (ange flaggan för var och en)")
    head.add_argument("--justering-place", metavar="PLATS", help="var protokollet justeras")
    head.add_argument("--justering-date", metavar="ÅÅÅÅ-MM-DD", help="när protokollet ska justeras")
    head.add_argument("--kept-at", metavar="PLATS", help="var protokollet förvaras")

    dec = _command(protokoll, "decision", _protokoll_decision, "beslutet i en paragraf (i § Val av justerare också "
                                                               "justerarna)")
    _paragraph_flags(dec)
    dec.add_argument("--text", action="append", metavar="TEXT", help="en beslutspunkt (ange flaggan för var och en); "
                                                                     "ersätter beslutet")
    dec.add_argument("--justerare", action="append", metavar="NAMN",
                     help="en justerare, i § Val av justerare (ange flaggan för var och en)")

    yrk = _command(protokoll, "yrkande", _protokoll_yrkande, "lägg till eller ta bort ett yrkande i en paragraf, "
                                                             "eller skriv propositionsordningen")
    _paragraph_flags(yrk)
    yrk.add_argument("--by", metavar="NAMN", help="vem som yrkar")
    yrk.add_argument("--text", metavar="TEXT", help="vad som yrkas")
    yrk.add_argument("--remove", type=int, metavar="NR", help="ta bort yrkande nummer NR")
    yrk.add_argument("--propositionsordning", metavar="TEXT", help="hur ordföranden ställde proposition")

    vote = _command(protokoll, "vote", _protokoll_vote, "omröstningen i en paragraf: antal röster, röst per person, "
                                                        "vad ja och nej står för, resultatet")
    _paragraph_flags(vote)
    vote.add_argument("--yes", type=int, metavar="N", help="antal ja-röster")
    vote.add_argument("--no", type=int, metavar="N", help="antal nej-röster")
    vote.add_argument("--abstain", type=int, metavar="N", help="antal som avstår")
    vote.add_argument("--vote", action="append", metavar="NAMN=RÖST",
                      help="en ledamots röst vid upprop: ja, nej eller avstar (ange flaggan för var och en)")
    vote.add_argument("--yes-for", metavar="TEXT", help='vad ja står för, till exempel "bifall till ordförandens '
                                                       'förslag"')
    vote.add_argument("--no-for", metavar="TEXT", help="vad nej står för")
    vote.add_argument("--result", metavar="TEXT", help="resultatet i ord (krävs när rösterna är lika)")
    vote.add_argument("--clear", action="store_true", help="ta bort omröstningen")

    res = _command(protokoll, "reservation", _protokoll_reservation, "lägg till eller ta bort en reservation i en "
                                                                     "paragraf")
    _paragraph_flags(res)
    res.add_argument("--by", action="append", metavar="NAMN", help="vem som reserverar sig (ange flaggan för var och "
                                                                   "en)")
    res.add_argument("--text", metavar="TEXT", help="reservationens motivering")
    res.add_argument("--remove", type=int, metavar="NR", help="ta bort reservation nummer NR")


def _mark_sent_command(protokoll) -> None:
    """What follows the justering: an utdrag sent to a recipient of the decision."""
    sent = _command(protokoll, "mark-sent", _protokoll_mark_sent, "registrera att ett protokollsutdrag har skickats "
                                                                  "till en mottagare")
    _paragraph_flags(sent)
    sent.add_argument("--recipient", required=True, metavar="NAMN", help="mottagarens namn")
    sent.add_argument("--channel", required=True, choices=CHANNELS, help="hur: " + ", ".join(CHANNELS))
    sent.add_argument("--date", metavar="ÅÅÅÅ-MM-DD", help="när utdraget skickades (standard: i dag)")


def _paragraph_flags(parser: Parser) -> None:
    parser.add_argument("--meeting", type=int, required=True, metavar="ID", help=_MEETING_HELP)
    parser.add_argument("--paragraph", type=int, required=True, metavar="N", help="paragrafens nummer (§ N)")


def _commands(parser: Parser, metavar: str = "KOMMANDO", title: str | None = None):
    """The subcommands of ``parser``; one of them must be given."""
    group = parser.add_subparsers(metavar=metavar, title=title)
    group.required = True
    return group


def _command(group, name: str, handler, help: str) -> Parser:
    """A command in ``group`` run by ``handler`` (None for a command that only holds subcommands)."""
    parser = group.add_parser(name, help=help)
    if handler is not None:
        parser.set_defaults(handler=handler)
    return parser


def _add_version_flags(parser: Parser) -> None:
    """--public or --internal, one of them required: there is no default that could leak a secret."""
    version = parser.add_mutually_exclusive_group(required=True)
    version.add_argument("--public", dest="public", action="store_true", help="offentlig version utan sekretessärenden")
    version.add_argument("--internal", dest="public", action="store_false", help="intern version med allt")


def main(argv: list[str] | None = None) -> int:
    args = _composed(build_parser().parse_args(argv))
    try:
        status = _run(args)
        sys.stdout.flush()  # a closed pipe shows here, inside the try, not as a warning at exit
        return status
    except BrokenPipeError:
        return _closed_pipe()
    except NamndtoolError as error:
        print(f"Fel: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Avbrutet.", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 — the user gets a message, never a traceback
        print(
            f"Fel: ett oväntat fel inträffade ({type(error).__name__}: {error}). Inget har sparats. "
            "Kör igen med miljövariabeln NAMNDTOOL_DEBUG=1 för detaljer och kontakta support.",
            file=sys.stderr,
        )
        if os.environ.get("NAMNDTOOL_DEBUG"):
            raise
        return 1


def _composed(args: Namespace) -> Namespace:
    """Every text argument in composed Unicode (NFC), so a name typed or pasted decomposed ("a" + ring) is the same
    name as the stored one. Paths are Path objects and stay as given: the file system decides how they are spelt."""
    for name, value in vars(args).items():
        if isinstance(value, str):
            setattr(args, name, nfc(value))
        elif isinstance(value, list):
            setattr(args, name, [nfc(v) if isinstance(v, str) else v for v in value])
    return args


def _closed_pipe() -> int:
    """The reader of our output went away (``namndtool case list | head -1``): end quietly, as Unix tools do.

    Further output goes to devnull so that flushing stdout at exit cannot raise again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 128 + 13  # SIGPIPE, what the shell reports for a tool ended by a closed pipe


def gui_main() -> int:
    """Entry point of the ``namndtool-gui`` script (no console window on Windows)."""
    return main(["gui", *sys.argv[1:]])


def _run(args) -> int:
    if (args.handler in (_gui, _branding, _restore, _migrate) or args.handler in _ADMIN_HANDLERS
            or args.handler in cli_anslag.NO_STORE or args.handler in cli_signering.NO_STORE
            or args.handler in cli_arkiv.NO_STORE):
        return args.handler(args)
    from nämndtool.store import Store

    with Store.open(args.db or default_store_path()) as store:
        return args.handler(store, args) or 0


def _gui(args) -> int:
    from nämndtool.display import missing_display_message

    problem = missing_display_message()
    if problem:
        print(problem, file=sys.stderr)
        return 2
    # The desktop app (and with it Qt) is loaded only for this command, by name, so the core never imports it.
    app = importlib.import_module("nämndtool.ui.app")
    return app.run(_gui_store(args))


def _gui_store(args) -> Path:
    """The store the app opens: ``namndtool-gui FIL`` (a double-clicked file), ``--db FIL``, or the default."""
    if args.file and args.db and args.file != args.db:
        raise NamndtoolError(f"Ange registret en gång: antingen --db {args.db} eller {args.file}.")
    return args.file or args.db or default_store_path()


def _branding(args) -> int:
    from nämndtool.assets import resource
    from nämndtool.atomic import write_atomic
    from nämndtool.documents.branding import load_branding, user_branding_path

    path = user_branding_path()
    if args.init:
        if path.exists():
            raise NamndtoolError(f"Profilfilen {path} finns redan; ändra i den direkt.")
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, resource("branding.toml").read_bytes())
        print(f"Profilfilen är skapad: {path}")
        return 0
    load_branding()  # a broken file is reported here, in Swedish
    state = "används" if path.exists() else "finns inte; standardprofilen används (skapa filen med --init)"
    print(f"{path} ({state})")
    return 0


def _backup(store, args) -> None:
    from nämndtool.operations import maintenance

    backup = maintenance.back_up(store, args.out, keep=args.keep)
    print(f"Säkerhetskopian är tagen: {backup.path} ({backup.files} filer).")


def _restore(args) -> int:
    from nämndtool.operations import maintenance

    path = args.db or default_store_path()
    restored = maintenance.restore(args.source, path)
    if isinstance(path, str):   # a server store: a new, empty database the kansli now opens instead
        from nämndtool.store.server import shown
        print(f"Säkerhetskopian från {args.source} är återställd i {shown(path)} och kontrollerad (alla rader och "
              "filer). Öppna det registret i stället för det gamla.")
        return 0
    print(f"Registret {path} är återställt från {args.source}.")
    if restored.kept:
        print(f"Registret som det var före återställningen finns kvar som {restored.kept}.")
    if restored.series_kept:
        print("Diarienumren fortsätter där registret var före återställningen, så inget nummer lämnas ut två gånger.")
    return 0


def _migrate(args) -> int:
    from nämndtool.transfer import migrate
    from nämndtool.store.server import is_server, shown

    moved = migrate(args.source, args.target)
    name = shown(args.target) if is_server(args.target) else args.target
    print(f"Registret är flyttat till {name}: {moved.rows} rader i {moved.tables} tabeller och {moved.files} filer, "
          "kontrollerade efteråt (antal och kontrollsummor). Det gamla registret är oförändrat; det som sparas där "
          "från och med nu kommer inte med.")
    return 0


def _check(store, args) -> int:
    from nämndtool.backup import advice
    from nämndtool.check import merge_report, unmerged_duplicates
    from nämndtool.operations import maintenance

    if args.repair:
        print("\n".join(maintenance.repair(store)) or "Inget behövde lagas.")
    if args.full and merge_report(store):
        print("Vid uppgraderingen av registret slogs namn som bara skilde sig i stavningsform ihop:")
        print("\n".join(f"  – {line}" for line in merge_report(store)))
    for line in unmerged_duplicates(store):
        print(line)
    problems = maintenance.check(store, full=args.full)
    if problems:
        print(advice(store.path, problems), file=sys.stderr)
        return 1
    print("Registret och dess filer är hela.")
    return 0


def _init(store, args) -> None:
    from nämndtool.operations import meetings

    saved = meetings.save_namnd(store, args.code, args.name, forvaltning=args.forvaltning, kommun=args.municipality,
                                adress=args.address)
    verb = "skapad" if saved.created else "uppdaterad"
    print(f"Nämnden {args.name.strip()} ({saved.kod}) är {verb} i {store}.")


def _import(store, args) -> None:
    from nämndtool.operations import exchange

    try:
        result = exchange.import_meeting(store, args.file)
    except ValidationError as error:
        print(f"Fel: {error}", file=sys.stderr)
        raise SystemExit(1)
    _warn(result.warnings)
    state = "inläst som nytt sammanträde" if result.created else "fanns redan och är uppdaterat"
    print(f"Sammanträdet är {state}; id:", file=sys.stderr)
    print(result.meeting_id)


def _export(store, args) -> None:
    from nämndtool.exchange.exporter import export_meeting

    text, written = export_meeting(store, args.meeting, args.out, public=args.public)
    if args.out is None:
        print(text, end="")
        print("Bilagorna skrevs inte ut; ange --out FIL för att få dem i mappen bilagor/.", file=sys.stderr)
    else:
        print(f"Sammanträdet är exporterat till {args.out} ({len(written) - 1} bilagefiler).", file=sys.stderr)


def _demo(store, args) -> None:
    from nämndtool.operations import exchange

    meeting_id = exchange.create_demo(store)
    print(f"Demoregistret är skapat i {store}: Socialnämnden med sammanträde {meeting_id}.")


def _case_new(store, args) -> None:
    from nämndtool.operations import diary

    _osl_flags(args)
    namnd = store.the_namnd(args.namnd)
    arende = diary.register_arende(store, diary.NewArende(
        namnd["id"], args.title, offentlig_rubrik=args.public_title, secret=args.secret, lagrum=args.osl,
        handlaggare=args.handlaggare))
    print(arende["diarienummer"])


def _arende_json(a: dict) -> dict:
    return {
        "diarienummer": a["diarienummer"], "rubrik": a["rubrik"], "offentlig_rubrik": a["offentlig_rubrik"],
        "klassificering": a["klassificering"], "status": a["status"], "sekretess": bool(a["sekretess"]),
        "sekretess_lagrum": a["sekretess_lagrum"], "handlaggare": a["handlaggare"], "registrerad": a["registrerad"],
        "avslutad": a["avslutad"], "extern_referens": a["extern_referens"],
    }


def _case_list(store, args) -> None:
    found = store.list_arenden(search=args.search, year=args.year)
    if args.json:
        print(json.dumps([_arende_json(a) for a in found], ensure_ascii=False, indent=2))
        return
    if not found:
        print("Inga ärenden hittades.", file=sys.stderr)
        return
    for a in found:
        secret = " [SEKRETESS]" if a["sekretess"] else ""
        number = a["diarienummer"] or "(utan nummer)"
        print(f"{number:<16} {labels.STATUS[a['status']]:<16} {a['rubrik']}{secret}")


def _case_show(store, args) -> None:
    from nämndtool.operations import diary

    a = _arende(store, args.number)
    diary.log_read(store, a["id"], "namndtool case show")   # a secret ärende's reading is logged
    ts = store.tjansteskrivelse(a["id"])
    bilagor = store.bilagor(a["id"])
    if args.json:
        print(json.dumps({**_arende_json(a), "tjansteskrivelse": ts and ts["rubrik"],
                          "bilagor": [b["titel"] for b in bilagor]}, ensure_ascii=False, indent=2))
        return
    lines = [
        ("Diarienummer", a["diarienummer"] + (f" - {a['klassificering']}" if a["klassificering"] else "")),
        ("Rubrik", a["rubrik"]),
        ("Offentlig rubrik", a["offentlig_rubrik"]),
        ("Status", labels.STATUS[a["status"]]),
        ("Sekretess", secrecy_status(a["sekretess"], a["sekretess_lagrum"])),
        ("Handläggare", a["handlaggare"]),
        ("Registrerat", a["registrerad"]),
        ("Extern beteckning", a["extern_referens"]),
        ("Tjänsteskrivelse", ts and (ts["rubrik"] or a["rubrik"])),
    ]
    for label, value in lines:
        if value:
            print(f"{label + ':':<19}{value}")
    for b in bilagor:
        warning = f"  (varning: {b['skadad']})" if b["skadad"] else ""
        print(f"{'Bilaga:':<19}{b['titel']}{warning}")


def _meeting_json(m: dict) -> dict:
    return {"id": m["id"], "organ": m["organ"], "datum": m["datum"], "tid": m["tid"], "plats": m["plats"],
            "status": m["status"], "ordforande": m["ordforande"], "antal_punkter": m["antal_punkter"]}


def _meeting_list(store, args) -> None:
    meetings = store.meetings()
    if args.json:
        print(json.dumps([_meeting_json(m) for m in meetings], ensure_ascii=False, indent=2))
        return
    if not meetings:
        print("Inga sammanträden finns ännu. Läs in ett med 'namndtool import FIL'.", file=sys.stderr)
    for m in meetings:
        when = f"{m['datum']} kl. {m['tid']}" if m["tid"] else m["datum"]
        print(f"{m['id']:>4}  {when:<20} {m['organ']:<28} {m['plats'] or ''}  ({m['antal_punkter']} punkter)")


def _meeting_show(store, args) -> None:
    m = store.meeting(args.id)
    agenda = store.agenda(args.id)
    if args.json:
        print(json.dumps({**_meeting_json(m), "dagordning": [
            {"nr": i["nr"], "rubrik": i["rubrik"], "typ": i["typ"], "diarienummer": i["diarienummer"],
             "sekretess": bool(i["sekretess"]), "anteckning": i["anteckning"]} for i in agenda]},
            ensure_ascii=False, indent=2))
        return
    print(f"{m['organ']}, {m['datum']}" + (f" kl. {m['tid']}" if m["tid"] else "") + (f", {m['plats']}" if m["plats"] else ""))
    if m["ordforande"]:
        party = f" ({m['ordforande_parti']})" if m["ordforande_parti"] else ""
        print(f"Ordförande: {m['ordforande']}{party}")
    print(f"Status: {labels.MEETING_STATUS[m['status']]}")
    for i in agenda:
        secret = " [SEKRETESS]" if i["sekretess"] else ""
        print(f"{i['nr']:>3}. {i['rubrik']}{secret}  {i['diarienummer'] or ''}".rstrip())


def _render_kallelse(store, args) -> None:
    from nämndtool.documents.branding import load_branding
    from nämndtool.documents.kallelse import kallelse_document
    from nämndtool.documents.service import write_document

    write_document(kallelse_document(store, args.meeting, args.public), args.format, args.out, load_branding())
    version = "offentliga" if args.public else "interna"
    print(f"Den {version} kallelsen är skriven till {args.out}.", file=sys.stderr)


def _render_tjansteskrivelse(store, args) -> None:
    from nämndtool.documents.branding import load_branding
    from nämndtool.documents.service import arende_of_item, write_document
    from nämndtool.documents.tjansteskrivelse import tjansteskrivelse_document

    if args.case:
        if args.item is not None:
            raise NamndtoolError("--item hör ihop med --meeting, inte med --case.")
        arende_id = _arende(store, args.case)["id"]
    else:
        if args.item is None:
            raise NamndtoolError("Ange punktens nummer med --item när du väljer tjänsteskrivelse med --meeting.")
        arende_id = arende_of_item(store, args.meeting, args.item)
    result = tjansteskrivelse_document(store, arende_id, load_branding())
    _warn(result.warnings)
    write_document(result.document, args.format, args.out, load_branding())
    print(f"Tjänsteskrivelsen är skriven till {args.out}.", file=sys.stderr)


def _render_handlingar(store, args) -> None:
    from nämndtool.documents.branding import load_branding
    from nämndtool.documents.pack import PartCache, build_pack, write_pack
    from nämndtool.documents.part_cache import for_store

    if (args.version == "both") != (args.internal_out is not None):
        raise NamndtoolError("--internal-out anger filen för den interna versionen och hör ihop med --both: "
                             "ange båda eller ingen av dem.")
    if args.version == "both" and args.internal_out.resolve() == args.out.resolve():
        raise NamndtoolError("Den offentliga och den interna versionen kan inte skrivas till samma fil. "
                             "Ange en annan fil med --internal-out.")
    branding, cache = load_branding(), PartCache(for_store(store))   # the two versions share every part
    versions = {"public": [(True, args.out)], "internal": [(False, args.out)],
                "both": [(True, args.out), (False, args.internal_out)]}[args.version]
    built = [(build_pack(store, args.meeting, public, branding, cache=cache), out) for public, out in versions]
    for result, out in built:   # written only when every version asked for was made
        _warn(result.warnings)
        write_pack(store, result, out)
        if result.public:
            print(f"Den offentliga versionen lämnar bort {result.left_out} sekretessärenden.", file=sys.stderr)
        print(f"Handlingarna ({'offentlig' if result.public else 'intern'} version) är skrivna till {out}.",
              file=sys.stderr)


def _warn(warnings) -> None:
    for warning in warnings:
        print(f"Varning: {warning}", file=sys.stderr)


def _date(text: str):
    from nämndtool.dates import parse_date
    return parse_date(text)


def _render_protokoll(store, args) -> None:
    from nämndtool.documents.branding import load_branding
    from nämndtool.documents.protokoll import protokoll_document
    from nämndtool.documents.service import write_document

    document = protokoll_document(store, args.meeting, args.public, only_omedelbara=args.omedelbara)
    write_document(document, args.format, args.out, load_branding())
    print(f"Protokollet är skrivet till {args.out}.", file=sys.stderr)


def _render_utdrag(store, args) -> None:
    from nämndtool.dates import parse_date
    from nämndtool.documents.branding import load_branding
    from nämndtool.documents.protokoll import forsattsblad_document, paragraf_is_justerad, utdrag_document
    from nämndtool.documents.service import write_document

    branding = load_branding()
    justerad = paragraf_is_justerad(store, args.meeting, args.paragraph)
    if justerad and not args.bestyrkt_datum:
        raise NamndtoolError("Protokollet är justerat: ange vilket datum utdraget bestyrks med --bestyrkt-datum "
                             "ÅÅÅÅ-MM-DD. Datumet skrivs i utdragsbestyrkandet.")
    bestyrkt = parse_date(args.bestyrkt_datum, "datumet för utdragsbestyrkandet (--bestyrkt-datum)") \
        if args.bestyrkt_datum else None
    write_document(utdrag_document(store, args.meeting, args.paragraph, args.recipient, bestyrkt_datum=bestyrkt),
                   args.format, args.out, branding)
    print(f"Protokollsutdraget är skrivet till {args.out}.", file=sys.stderr)
    if not justerad:
        print("Protokollet är inte justerat: utdraget är märkt Ej justerat och kan inte bestyrkas förrän "
              "protokollet har justerats.", file=sys.stderr)
    paragraf = store.paragraf_by_number(args.meeting, args.paragraph)
    if paragraf["sekretess"]:
        names = [args.recipient] if args.recipient else [m["namn"] for m in paragraf["mottagare"]]
        for name in names:
            sheet = args.out.with_name(f"{args.out.stem} försättsblad {name}{args.out.suffix}")
            write_document(forsattsblad_document(store, args.meeting, args.paragraph, name), args.format, sheet, branding)
            print(f"Försättsbladet för {name} är skrivet till {sheet}.", file=sys.stderr)


def _paragraphs(store, args) -> None:
    from nämndtool.operations import protokoll as protokoll_ops

    store.meeting(args.meeting)   # an unknown meeting is refused by name
    created = [store.paragraf(i) for i in protokoll_ops.create_paragraphs(store, args.meeting)]
    numbers = [p["nr"] for p in created]
    if args.json:
        print(json.dumps([{"nr": p["nr"], "punkt": p["dagordning_nr"], "rubrik": p["rubrik"],
                           "diarienummer": p["diarienummer"]} for p in created], ensure_ascii=False, indent=2))
    elif not numbers:
        print(f"Varje punkt på dagordningen för sammanträde {args.meeting} har redan en paragraf; inga nya skapades.")
    elif len(numbers) == 1:
        print(f"1 paragraf är skapad för sammanträde {args.meeting}: § {numbers[0]}.")
    else:
        print(f"{len(numbers)} paragrafer är skapade för sammanträde {args.meeting}: § {numbers[0]}–{numbers[-1]}.")


def _justera(store, args) -> None:
    from nämndtool.operations import protokoll as protokoll_ops

    datum = _date(args.date)
    justerad = protokoll_ops.justera(store, args.meeting, datum)   # refuses a date the rule does not allow
    _warn(justerad.warnings)
    print(f"Protokollet är justerat {datum} och låst. Den justerade PDF-filen är sparad (SHA-256 {justerad.sha256}).")


def _anslag(store, args) -> None:
    from nämndtool.operations import protokoll as protokoll_ops

    datum = _date(args.date)
    anslag = protokoll_ops.record_anslag(store, args.meeting, datum, omedelbara=args.omedelbara)
    _warn(anslag.warnings)
    d = anslag.deadlines
    print(f"Anslaget sattes upp {datum}. Överklagandetiden löper till och med {d.overklagande_till}; "
          f"anslaget tas ned tidigast {d.anslag_ned_tidigast}.")


def _correct_date(store, args) -> None:
    from nämndtool.operations import protokoll as protokoll_ops

    column = protokoll_ops.date_column(justering=bool(args.justering), omedelbara=args.omedelbara)
    datum = _date(args.justering or args.anslag)
    old = protokoll_ops.correct_date(store, args.meeting, column, datum, args.reason)
    what = "Justeringsdatumet" if args.justering else "Anslagsdatumet"
    print(f"{what} är rättat från {old} till {datum}. Rättelsen sparas med skälet, ditt namn och tidpunkten i "
          "ändringshistoriken.")


def _osl_flags(args) -> None:
    """Which flag carries the lagrum is the command line's business (the rule that a secret one needs a lagrum is
    :func:`nämndtool.operations.diary.secrecy_fields`): name the flags, so the user knows what to type."""
    if args.osl and not args.secret:
        raise NamndtoolError("--osl anger sekretessgrunden och kräver --secret.")
    if args.secret and not (args.osl or "").strip():
        raise NamndtoolError('Ange sekretessgrunden med --osl, till exempel --osl "26 kap. 1 § OSL".')


def _arende(store, number: str) -> dict:
    return store.arende_by_number(dnr.parse(number, store.known_codes()))


def _case_add_handling(store, args) -> None:
    from nämndtool.operations import diary

    _osl_flags(args)
    arende = _arende(store, args.number)
    diary.add_handling(store, diary.NewHandling(
        arende["id"], args.description, riktning=args.direction, datum=_date(args.date) if args.date else None,
        motpart=args.counterpart, secret=args.secret, lagrum=args.osl, path=args.file, bilaga=args.bilaga))
    as_bilaga = " som bilaga till tjänsteskrivelsen" if args.bilaga else ""
    print(f"Handlingen är registrerad i {arende['diarienummer']}{as_bilaga}.")


def _case_history(store, args) -> None:
    a = _arende(store, args.number)
    for change in store.history(arende_id=a["id"]):
        when = change["tid"][:16].replace("T", " ")
        print(f"{when}  {change['anvandare']:<12} {change['tabell']} {change['handelse']}")
        for field, (old, new) in change["fält"].items():
            print(f"    {field}: {old!r} → {new!r}")
    for decision in store.unseal_decisions(arende_id=a["id"]):
        print(f"{decision['tid'][:16].replace('T', ' ')}  {decision['av']:<12} hävde sekretessen "
              f"({decision['tidigare_lagrum'] or 'utan angivet lagrum'}): {decision['skal']}")
    if a["sekretess"] or store.unseal_decisions(arende_id=a["id"]):
        for read in store.reads(a["id"]):
            print(f"{read['tid'][:16].replace('T', ' ')}  {read['anvandare']:<12} läste ärendet ({read['hur']})")


def _case_close(store, args) -> None:
    import datetime as dt

    from nämndtool.operations import diary

    arende = _arende(store, args.number)
    datum = _date(args.date) if args.date else dt.date.today()
    diary.close_arende(store, arende["id"], on=datum)
    print(f"Ärendet {arende['diarienummer']} är avslutat {datum}.")


def _diary_extract(store, args) -> None:
    from nämndtool.documents.branding import load_branding
    from nämndtool.documents.registry import diary_extract_document
    from nämndtool.documents.service import write_document

    fran, till = _date(args.fran), _date(args.till)
    if till < fran:
        raise NamndtoolError("Periodens slut ligger före dess början.")
    document = diary_extract_document(store, store.the_namnd(args.namnd)["id"], fran.isoformat(), till.isoformat(),
                                      args.public)
    write_document(document, args.format, args.out, load_branding())
    print(f"Diarieutdraget är skrivet till {args.out}.", file=sys.stderr)


def _delegation_add(store, args) -> None:
    from nämndtool.operations import diary

    _osl_flags(args)
    namnd = store.the_namnd(args.namnd)
    decision_id = diary.register_delegationsbeslut(store, diary.NewDelegationsbeslut(
        namnd["id"], _date(args.date), args.by, args.point, args.description,
        arende_id=_arende(store, args.case)["id"] if args.case else None, secret=args.secret, lagrum=args.osl))
    print(f"Delegationsbeslutet är registrerat (nummer {decision_id}).")


def _delegation_list(store, args) -> None:
    decisions = store.delegationsbeslut(store.the_namnd(args.namnd)["id"], unreported=args.unreported)
    if args.json:
        print(json.dumps([{k: d[k] for k in ("id", "datum", "beslutsfattare", "delegationspunkt", "beskrivning",
                                             "diarienummer", "anmald_vid")} | {"sekretess": bool(d["sekretess"])}
                          for d in decisions], ensure_ascii=False, indent=2))
        return
    for d in decisions:
        state = f"anmält vid sammanträde {d['anmald_vid']}" if d["anmald_vid"] else "ej anmält"
        print(f"{d['datum']}  {d['delegationspunkt']:<10} {d['beslutsfattare']:<22} {d['beskrivning']}  ({state})")


def _delegation_report(store, args) -> None:
    from nämndtool.operations import diary

    count = diary.report_delegationsbeslut(store, args.meeting)
    print(f"{count} delegationsbeslut är anmälda vid sammanträde {args.meeting}.")


def _case_seal(store, args) -> None:
    from nämndtool.operations import secrecy

    arende = _arende(store, args.number)
    _report_sealed(f"Ärendet {arende['diarienummer']}", secrecy.seal_arende(store, arende["id"], args.osl))


def _case_unseal(store, args) -> None:
    from nämndtool.operations import secrecy

    arende = _arende(store, args.number)
    secrecy.unseal_arende(store, arende["id"], args.reason)
    print(f"Sekretessen för ärendet {arende['diarienummer']} är hävd. Beslutet är sparat med skäl, vem och när "
          "('namndtool case history' visar det).")


def _meeting_seal_item(store, args) -> None:
    from nämndtool.operations import secrecy

    _report_sealed(f"Punkt {args.item}", secrecy.seal_item(store, args.meeting, args.item, args.osl))


def _report_sealed(what: str, sealed) -> None:
    state = "omfattas nu av sekretess" if sealed.newly_secret else "omfattades redan av sekretess"
    print(f"{what} {state}. Allt som skapas från och med nu behandlar det som sekretess.")
    if sealed.published:
        print("Offentliga versioner som redan har lämnat programmet och kan behöva dras tillbaka:", file=sys.stderr)
        for line in sealed.published:
            print(f"  – {line}", file=sys.stderr)


def _meeting_unseal_item(store, args) -> None:
    from nämndtool.operations import secrecy

    secrecy.unseal_item(store, args.meeting, args.item, args.reason)
    print(f"Sekretessen för punkt {args.item} är hävd. Beslutet är sparat med skäl, vem och när.")


def _distribute(store, args) -> None:
    from nämndtool.distribution import write_eml_drafts
    from nämndtool.operations import meetings

    args.out.mkdir(parents=True, exist_ok=True)
    written = write_eml_drafts(store, args.meeting, args.out)
    meetings.mark_kallat(store, args.meeting)
    _warn(written.warnings)
    print(f"{len(written.drafts)} e-postutkast är skrivna i {written.folder}; sändlistan är {written.list_file}.")


def _confirm_address(store, args) -> None:
    from nämndtool.operations import secrecy

    by = (args.by or os.environ.get("NAMNDTOOL_NAMN") or "").strip()
    if not by:
        raise NamndtoolError('Ange vem som har kontrollerat adressen: --by "Förnamn Efternamn" (eller sätt '
                             "miljövariabeln NAMNDTOOL_NAMN). Namnet står på försättsbladet.")
    m = secrecy.confirm_address(store, args.meeting, args.paragraph, args.recipient, by=by)
    print(f"Adressen till {m['namn']} ({m['adress']}) för § {args.paragraph} är bekräftad av {m['bekraftad_av']} "
          f"{m['bekraftad_datum']}.")




# --- the meeting cycle as small verbs: a meeting, its agenda, the protokoll per § (issue 13) --------------------

ROLE_TEXT = {"ordforande": "ordförande", "vice_ordforande": "vice ordförande", "ledamot": "ledamot",
             "ersattare": "ersättare", "tjansteperson": "tjänsteperson"}
NARVARO_KEYS = ("person_id", "namn", "roll", "parti", "titel", "tjanstgor", "ersatter", "forhinder", "fran_paragraf",
                "till_paragraf")
_PERSON_FLAGS = ("role", "party", "title", "serving", "not_serving", "forhinder", "replaces", "from_paragraph",
                 "to_paragraph")


def _organ(store, namnd: dict, name: str | None) -> dict:
    """The organ a meeting is of: the nämnd itself unless an utskott is named."""
    organs = store.organs(namnd["id"])
    if name is None:
        return next((o for o in organs if o["typ"] == "namnd"), organs[0])
    found = store.organ(namnd["id"], name)
    if found is None:
        raise NamndtoolError(f"{namnd['namn']} har inget organ som heter {name}; välj ett av dessa med --organ: "
                             f"{', '.join(o['namn'] for o in organs)}.")
    return found


def _time(text: str) -> str:
    """``13:00``, ``13.00``, ``9:30`` or ``13`` as ``TT:MM``."""
    import re

    found = re.fullmatch(r"(\d{1,2})(?:[:.](\d{2}))?", text.strip())
    if not found or int(found.group(1)) > 23 or int(found.group(2) or 0) > 59:
        raise NamndtoolError(f'"{text}" är inget klockslag. Skriv tiden som TT:MM, till exempel 13:00.')
    return f"{int(found.group(1)):02d}:{found.group(2) or '00'}"


def _blank_none(text: str | None) -> str | None:
    return (text or "").strip() or None


def _meeting_fields(store, organ_id: int, datum: str, args) -> tuple[dict, list[str]]:
    """The new meeting's fields: what was given, else (as the app does) time and place of the organ's latest
    meeting, its förhinder contact and the ordförande of the roster; with the names of what was taken so."""
    latest = store.latest_meeting(organ_id) or {}
    taken = []
    fields = {"tid": _time(args.time) if args.time else latest.get("tid"),
              "plats": _blank_none(args.place) if args.place is not None else latest.get("plats")}
    taken += [what for what, flag, key in (("tiden (--time)", args.time, "tid"),
                                           ("platsen (--place)", args.place, "plats")) if flag is None and fields[key]]
    given = {"forhinder_namn": args.forhinder_name, "forhinder_epost": args.forhinder_email,
             "forhinder_telefon": args.forhinder_phone}
    if any(value is not None for value in given.values()):
        fields.update({key: _blank_none(value) for key, value in given.items()})
    else:
        fields.update(store.forhinder_suggestion(organ_id))
        taken += ["kontakten för förhinder (--forhinder-name)"] if any(fields[key] for key in given) else []
    if args.chair is not None:
        fields["ordforande_namn"] = args.chair
    else:
        roster = store.roster(organ_id, datum)
        if roster and roster[0].get("uppdrag_roll") == "ordforande":
            fields["ordforande_id"] = roster[0]["id"]
            taken.append("ordföranden (--chair)")
    return fields, taken


def _meeting_line(m: dict) -> str:
    return f"{m['organ']} {m['datum']}" + (f" kl. {m['tid']}" if m["tid"] else "") + (f", {m['plats']}" if m["plats"]
                                                                                      else "")


def _meeting_create(store, args) -> None:
    from nämndtool.operations import meetings

    organ = _organ(store, store.the_namnd(args.namnd), args.organ)
    datum = _date(args.date).isoformat()
    fields, taken = _meeting_fields(store, organ["id"], datum, args)
    if not fields["tid"]:
        raise NamndtoolError("Ange klockslaget med --time TT:MM: det finns inget tidigare sammanträde att ta tiden "
                             "från.")
    meeting_id = meetings.create_meeting(store, organ["id"], datum, fields)
    m = store.meeting(meeting_id)
    warnings = meetings.meeting_warnings(store, organ["id"], datum)
    _warn(warnings)
    if args.json:
        print(json.dumps({**_meeting_json(m), **{k: m[k] for k in ("forhinder_namn", "forhinder_epost",
                                                                    "forhinder_telefon")},
                          "varningar": warnings}, ensure_ascii=False, indent=2))
        return
    print(f"Sammanträdet är skapat: {_meeting_line(m)}" + (f", ordförande {m['ordforande']}" if m["ordforande"] else "")
          + ".", file=sys.stderr)
    if taken:
        print(f"Hämtat från tidigare sammanträden och ledamotslistan: {_join_names(taken)}. Ange flaggan för att välja "
              "något annat.", file=sys.stderr)
    print("Sammanträdets id:", file=sys.stderr)
    print(meeting_id)


def _item_text(item: dict) -> str:
    """An agenda item in a sentence: its title, diary number and secrecy."""
    number = f" ({item['diarienummer']})" if item.get("diarienummer") else ""
    status = secrecy_status(1, item.get("sekretess_lagrum"))
    secret = f", {status[0].lower()}{status[1:]}" if item.get("sekretess") else ""
    return f"{item['rubrik']}{number}{secret}"


def _meeting_add_item(store, args) -> None:
    from nämndtool.operations import agenda

    options = {"secret": args.secret, "lagrum": args.osl, "anteckning": args.note, "position": args.position}
    if args.case:
        new = agenda.NewItem("arende", arende_id=_arende(store, args.case)["id"], **options)
    else:
        _osl_flags(args)
        kind, rubrik = next((k, v) for k, v in (("standard", args.standard), ("tema", args.tema),
                                                 ("fristaende", args.title)) if v is not None)
        new = agenda.NewItem(kind, rubrik, **options)
    added = agenda.add_item(store, args.meeting, new)
    item = store.agenda(args.meeting)[added.nr - 1]
    if args.json:
        print(json.dumps({"nr": added.nr, "rubrik": item["rubrik"], "typ": item["typ"],
                          "diarienummer": item["diarienummer"], "sekretess": bool(item["sekretess"]),
                          "varningar": list(added.warnings)}, ensure_ascii=False, indent=2))
    else:
        m = store.meeting(args.meeting)
        print(f"Punkt {added.nr} på dagordningen för {m['organ']} {m['datum']}: {_item_text(item)}.")
    _warn(added.warnings)


def _meeting_move_item(store, args) -> None:
    from nämndtool.operations import agenda

    moved = agenda.move_item(store, args.meeting, args.item, args.to)
    if moved.nr == args.item:
        print(f"Punkt {args.item} ({moved.rubrik}) står redan där; inget ändrades.")
    else:
        print(f"Punkt {args.item} ({moved.rubrik}) är nu punkt {moved.nr}; punkterna emellan har flyttat ett steg.")
    _warn(moved.warnings)


def _meeting_remove_item(store, args) -> None:
    from nämndtool.operations import agenda

    removed = agenda.remove_item(store, args.meeting, args.item)
    after = "; punkterna efter den har flyttat upp ett steg" if args.item <= len(store.agenda(args.meeting)) else ""
    kept = f" Ärendet {removed['diarienummer']} finns kvar i diariet." if removed["diarienummer"] else ""
    print(f"Punkt {args.item} ({_item_text(removed)}) är borttagen från dagordningen{after}.{kept}")


def _meeting_status(store, args) -> None:
    from nämndtool.labels import MEETING_STATUS
    from nämndtool.operations import meetings

    if args.set is None:
        print(MEETING_STATUS[store.meeting(args.meeting)["status"]])
        return
    change = meetings.set_status(store, args.meeting, args.set)
    was = f" (var {MEETING_STATUS[change.before]})" if change.before != change.after else " (oförändrad)"
    print(f"Sammanträdets status är {MEETING_STATUS[change.after]}{was}.", file=sys.stderr)


def _meeting_copy_agenda(store, args) -> None:
    from nämndtool.operations import meetings

    change = meetings.copy_agenda(store, args.meeting, args.source)
    source = store.meeting(args.source)
    count = "1 punkt är kopierad" if change.added == 1 else f"{change.added} punkter är kopierade"
    print(f"{count} från dagordningen för {source['organ']} {source['datum']}.")
    _warn(change.warnings)


# --- the protokoll per § ---------------------------------------------------------------------------------------


def _paragraf(store, args) -> dict:
    """The § named by --meeting and --paragraph; a meeting without §§ yet is told how to make them."""
    store.meeting(args.meeting)
    protokoll = store.protokoll(args.meeting)
    if not protokoll or not protokoll["paragrafer"]:
        raise NamndtoolError(f"Sammanträde {args.meeting} har inga paragrafer ännu. Skapa dem med 'namndtool protokoll "
                             f"paragraphs --meeting {args.meeting}'.")
    if args.paragraph not in [p["nr"] for p in protokoll["paragrafer"]]:
        numbers = [p["nr"] for p in protokoll["paragrafer"]]
        raise NamndtoolError(f"Protokollet för sammanträde {args.meeting} har ingen § {args.paragraph}; dess paragrafer "
                             f"är § {numbers[0]}–{numbers[-1]}.")
    return store.paragraf_by_number(args.meeting, args.paragraph)


def _protokoll_decision(store, args) -> None:
    from nämndtool.operations import protokoll as protokoll_ops

    p = _paragraf(store, args)
    if not args.text and not args.justerare:
        also = " och justerarna med --justerare NAMN" if protokoll_ops.is_val_av_justerare(p["rubrik"]) else ""
        raise NamndtoolError(f"Skriv beslutet med --text TEXT (en flagga för varje beslutspunkt){also}.")
    if args.text is not None and not any(text.strip() for text in args.text):
        raise NamndtoolError("Beslutstexten är tom: skriv beslutet med --text TEXT.")
    before = p["beslut"]
    saved = protokoll_ops.record_decision(store, p["id"], args.text, args.justerare or None).paragraf
    print(f"Beslutet i § {p['nr']} {p['rubrik']} är sparat:")
    for text in saved["beslut"]:
        print(f"  {text}")
    if args.justerare:
        print(f"Justerare: {protokoll_ops.join_names(store.protokoll(args.meeting)['justerare']) or 'ingen'}.")
        if args.text is None and saved["beslut"] == before:
            print("Beslutstexten ändrades inte; skriv den med --text om justerarna ska stå i den.", file=sys.stderr)


def _protokoll_yrkande(store, args) -> None:
    from nämndtool.operations import protokoll as protokoll_ops

    p = _paragraf(store, args)
    order = protokoll_ops.KEEP if args.propositionsordning is None else _blank_none(args.propositionsordning)
    done = []
    if args.remove is not None:
        if args.by is not None or args.text is not None:
            raise NamndtoolError("Ta bort ett yrkande och lägg till ett annat i två kommandon.")
        change = protokoll_ops.remove_yrkande(store, p["id"], args.remove, propositionsordning=order)
        done.append(f"Yrkande {args.remove} i § {p['nr']} ({change.removed['av']}) är borttaget.")
    elif args.by is not None or args.text is not None:
        if not _blank_none(args.by):
            raise NamndtoolError("Ange vem som yrkar med --by NAMN.")
        if not _blank_none(args.text):
            raise NamndtoolError("Skriv vad som yrkas med --text TEXT.")
        change = protokoll_ops.add_yrkande(store, p["id"], args.by, args.text, propositionsordning=order)
        done.append(f"Yrkande {change.nr} i § {p['nr']} är sparat: {args.by.strip()} yrkar "
                    f"{args.text.strip().rstrip('.')}.")
    elif args.propositionsordning is not None:
        change = protokoll_ops.set_propositionsordning(store, p["id"], args.propositionsordning)
    else:
        raise NamndtoolError("Ange ett yrkande med --by NAMN --text TEXT, ett att ta bort med --remove NR, eller "
                             "propositionsordningen med --propositionsordning TEXT.")
    if args.propositionsordning is not None:
        done.append(f"Propositionsordningen i § {p['nr']} är sparad.")
    saved = change.paragraf
    print("\n".join(done))
    if len(saved["yrkanden"]) > 1 and not (saved["propositionsordning"] or "").strip():
        _warn([f"§ {p['nr']} har {len(saved['yrkanden'])} yrkanden men ingen propositionsordning; skriv den med "
               "--propositionsordning innan protokollet justeras."])


def _protokoll_reservation(store, args) -> None:
    from nämndtool.operations import protokoll as protokoll_ops

    p = _paragraf(store, args)
    names = [name.strip() for name in args.by or [] if name.strip()]
    if args.remove is not None:
        if args.by or args.text is not None:
            raise NamndtoolError("Ta bort en reservation och lägg till en annan i två kommandon.")
        gone = protokoll_ops.remove_reservation(store, p["id"], args.remove).removed
        done = f"Reservation {args.remove} i § {p['nr']} ({', '.join(gone['av'])}) är borttagen."
    elif names:
        change = protokoll_ops.add_reservation(store, p["id"], names, args.text)
        done = (f"Reservation {change.nr} i § {p['nr']} är sparad: {_join_names(names)} reserverar "
                f"sig{' (med motivering)' if _blank_none(args.text) else ''}.")
    else:
        raise NamndtoolError("Ange vem som reserverar sig med --by NAMN (en flagga för var och en), eller en "
                             "reservation att ta bort med --remove NR.")
    print(done)


def _join_names(names: list[str]) -> str:
    """ "A", "A och B", "A, B och C"."""
    from nämndtool.operations import protokoll as protokoll_ops

    return protokoll_ops.join_names(names)


VOTES = {"ja": "ja", "nej": "nej", "avstar": "avstar", "avstår": "avstar"}


def _roll_call_vote(text: str) -> dict:
    """``"Anna Ek (S)=ja"`` as a row of the roll call."""
    name, _, vote = text.rpartition("=")
    if not name.strip() or vote.strip().casefold() not in VOTES:
        raise NamndtoolError(f'"{text}" är ingen röst. Skriv --vote "Namn=ja", "Namn=nej" eller "Namn=avstar".')
    return {"namn": name.strip(), "rost": VOTES[vote.strip().casefold()]}


def _protokoll_vote(store, args) -> None:
    from nämndtool.justering import vote_problems, vote_tally
    from nämndtool.operations import protokoll as protokoll_ops

    p = _paragraf(store, args)
    counts = {"votering_ja": args.yes, "votering_nej": args.no, "votering_avstar": args.abstain}
    texts = {"proposition_ja": args.yes_for, "proposition_nej": args.no_for, "votering_resultat": args.result}
    given = [v for v in (*counts.values(), *texts.values(), args.vote) if v is not None]
    if args.clear:
        if given:
            raise NamndtoolError("--clear tar bort hela omröstningen; ange inget annat med den.")
        saved = protokoll_ops.clear_vote(store, p["id"]).paragraf
    else:
        if not given:
            raise NamndtoolError("Ange rösterna med --yes N --no N (och --abstain N), en röst per person med --vote "
                                 "NAMN=ja, eller ta bort omröstningen med --clear.")
        fields = {k: v for k, v in counts.items() if v is not None}
        fields |= {k: _blank_none(v) for k, v in texts.items() if v is not None}
        roster = None if args.vote is None else [_roll_call_vote(v) for v in args.vote]
        saved = protokoll_ops.record_vote(store, p["id"], fields, roster).paragraf
    tally = vote_tally(saved)
    if tally is None:
        print(f"Omröstningen i § {p['nr']} är borttagen.")
        return
    print(f"Omröstningen i § {p['nr']} är sparad: {tally['ja']} ja, {tally['nej']} nej, {tally['avstar']} avstår.")
    for side, key in (("Ja", "proposition_ja"), ("Nej", "proposition_nej")):
        if saved[key]:
            print(f"{side} står för {saved[key]}.")
    if saved["votering_resultat"]:
        print(f"Resultat: {saved['votering_resultat']}")
    _warn([f"§ {p['nr']}: {problem}" for problem in vote_problems(saved)])


# --- attendance and the header ---------------------------------------------------------------------------------


def _person_line(row: dict) -> str:
    party = f" ({row['parti']})" if row.get("parti") else ""
    title = f", {row['titel']}" if row.get("titel") else ""
    if row["forhinder"]:
        state = "förhinder"
    elif row["roll"] == "tjansteperson":
        state = "närvarande"
    elif row["tjanstgor"]:
        state = f"tjänstgör för {row['ersatter']}" if row.get("ersatter") else "tjänstgör"
    else:
        state = "närvarande, tjänstgör inte"
    during = "".join(part for part in (
        f", från § {row['fran_paragraf']}" if row.get("fran_paragraf") else "",
        f", till och med § {row['till_paragraf']}" if row.get("till_paragraf") else ""))
    return f"{row['namn']}{party}, {ROLE_TEXT[row['roll']]}{title}, {state}{during}"


def _protokoll_attendance(store, args) -> None:
    from nämndtool.operations import protokoll as protokoll_ops

    store.meeting(args.meeting)
    if not args.person and any(getattr(args, flag) not in (None, False) for flag in _PERSON_FLAGS):
        raise NamndtoolError("--role, --party, --title, --serving, --not-serving, --forhinder, --replaces, "
                             "--from-paragraph och --to-paragraph hör ihop med --person NAMN.")
    if args.from_roster:
        change = protokoll_ops.add_roster_to_attendance(store, args.meeting)
        note = (f"{change.added} {'person' if change.added == 1 else 'personer'} ur ledamotslistan är tillagda i "
                f"närvaron" + (f"; {change.already} stod redan där." if change.already else "."))
    elif args.remove:
        change = protokoll_ops.remove_from_attendance(store, args.meeting, args.remove)
        note = f"{change.row['namn']} är borttagen ur närvaron."
    else:
        if not " ".join(args.person.split()):
            raise NamndtoolError("Ange personens namn med --person NAMN.")
        change = protokoll_ops.change_attendance_row(store, args.meeting, args.person,
                                                     lambda row, added: _attendance_flags(args, row))
        note = f"{_person_line(change.row)}: {'tillagd i' if change.added else 'ändrad i'} närvaron."
    if args.json:
        print(json.dumps(change.rows, ensure_ascii=False, indent=2))
    else:
        print(note)
    _warn([change.warning] if change.warning else [])


def _attendance_flags(args, row: dict) -> None:
    """The flags of --person applied to its attendance row; serving follows the role unless said."""
    from nämndtool.operations import protokoll as protokoll_ops

    if args.role:
        row["roll"] = args.role
        row["tjanstgor"] = int(args.role in protokoll_ops.SEATED and not row["forhinder"])
    for flag, key in (("party", "parti"), ("title", "titel"), ("replaces", "ersatter")):
        if getattr(args, flag) is not None:
            row[key] = _blank_none(getattr(args, flag))
    for flag, key in (("from_paragraph", "fran_paragraf"), ("to_paragraph", "till_paragraf")):
        if getattr(args, flag) is not None:
            row[key] = getattr(args, flag) or None   # 0 takes it away
    if args.replaces:
        row["tjanstgor"], row["forhinder"] = 1, 0
    if args.serving or args.not_serving or args.forhinder:
        row["tjanstgor"], row["forhinder"] = int(args.serving), int(args.forhinder)
    if row["roll"] == "tjansteperson" or row["forhinder"]:
        row["tjanstgor"] = 0


def _protokoll_header(store, args) -> None:
    from nämndtool.operations import protokoll as protokoll_ops

    meeting = store.meeting(args.meeting)
    given = {"sekreterare": args.sekreterare, "justering_plats": args.justering_place,
             "justering_datum": args.justering_date and _date(args.justering_date).isoformat(),
             "forvaringsplats": args.kept_at}
    if all(v is None for v in given.values()) and args.justerare is None:
        raise NamndtoolError("Ange vad som ska sparas: --sekreterare, --justerare, --justering-place, "
                             "--justering-date eller --kept-at.")
    current = store.protokoll(args.meeting) or {"sekreterare": meeting["forhinder_namn"], "justerare": []}
    values = {key: current.get(key) for key in given} | {k: _blank_none(v) for k, v in given.items() if v is not None}
    justerare = current["justerare"] if args.justerare is None else [n.strip() for n in args.justerare if n.strip()]
    protokoll_ops.save_protokoll_header(store, args.meeting, justerare=justerare, **values)
    lines = [f"Sekreterare: {values['sekreterare'] or 'inte angiven'}.",
             f"Justerare: {protokoll_ops.join_names(justerare) or 'ingen ännu'}."]
    if values["justering_plats"] or values["justering_datum"]:
        lines.append("Justering: " + " ".join(filter(None, (values["justering_plats"], values["justering_datum"])))
                     + ".")
    if values["forvaringsplats"]:
        lines.append(f"Förvaras: {values['forvaringsplats']}.")
    print(f"Protokollets huvud för sammanträde {args.meeting} är sparat.")
    print("\n".join(lines))


def _protokoll_mark_sent(store, args) -> None:
    from nämndtool.dates import past_date_problem
    from nämndtool.operations import protokoll as protokoll_ops
    from nämndtool.text import identity_key

    p = _paragraf(store, args)
    rows = [r for r in store.dispatch_list(args.meeting) if r["paragraf_id"] == p["id"]]
    row = next((r for r in rows if identity_key(r["namn"]) == identity_key(args.recipient)), None)
    if row is None:
        names = f" (mottagare: {', '.join(r['namn'] for r in rows)})" if rows else "; paragrafen har inga mottagare"
        raise NamndtoolError(f"{args.recipient.strip()} är inte mottagare av beslutet i § {p['nr']}{names}.")
    datum = _date(args.date) if args.date else None
    problem = datum and past_date_problem(datum, "datumet då utdraget skickades")
    if problem:
        raise NamndtoolError(problem)
    protokoll_ops.mark_utdrag_sent(store, args.meeting, p["id"], row["mottagare_id"], args.channel, on=datum)
    sent = next(r for r in store.dispatch_list(args.meeting)
                if r["paragraf_id"] == p["id"] and r["mottagare_id"] == row["mottagare_id"])
    registered = f" Det är registrerat som utgående handling i {p['diarienummer']}." if p["diarienummer"] else ""
    print(f"Utdraget ur § {p['nr']} till {row['namn']} är markerat som skickat {sent['skickat']} ({args.channel})."
          + registered)


def _protokoll_show(store, args) -> None:
    from nämndtool.justering import vote_tally

    m = store.meeting(args.meeting)
    protokoll = store.protokoll(args.meeting)
    if args.json:
        print(json.dumps(protokoll and {
            "sekreterare": protokoll["sekreterare"], "justerare": protokoll["justerare"],
            "justerad": protokoll["justerad"], "anslag": protokoll["anslag_datum"],
            "narvaro": [{key: n[key] for key in NARVARO_KEYS} for n in protokoll["narvaro"]],
            "paragrafer": [{"nr": p["nr"], "punkt": p["dagordning_nr"], "rubrik": p["rubrik"],
                            "diarienummer": p["diarienummer"], "sekretess": bool(p["sekretess"]),
                            "beslut": p["beslut"], "yrkanden": p["yrkanden"],
                            "propositionsordning": p["propositionsordning"], "omrostning": vote_tally(p),
                            "reservationer": p["reservationer"],
                            "mottagare": [r["namn"] for r in p["mottagare"]]} for p in protokoll["paragrafer"]]},
            ensure_ascii=False, indent=2))
        return
    print(f"Protokoll för {_meeting_line(m)}")
    if protokoll is None:
        print(f"Protokollet är inte påbörjat. Skapa paragraferna med 'namndtool protokoll paragraphs --meeting "
              f"{args.meeting}'.")
        return
    state = f"justerat {protokoll['justerad']}" if protokoll["justerad"] else "inte justerat"
    print(f"Status: {state}" + (f", anslaget {protokoll['anslag_datum']}" if protokoll["anslag_datum"] else ""))
    print(f"Sekreterare: {protokoll['sekreterare'] or '–'}")
    print(f"Justerare: {_join_names(protokoll['justerare']) or '–'}")
    for n in protokoll["narvaro"]:
        print(f"  {_person_line(n)}")
    for p in protokoll["paragrafer"]:
        secret = f" [{secrecy_status(1, p['sekretess_lagrum'])}]" if p["sekretess"] else ""
        print(f"§ {p['nr']} {p['rubrik']}{secret}  {p['diarienummer'] or ''}".rstrip())
        for nr, y in enumerate(p["yrkanden"], 1):
            print(f"    Yrkande {nr}: {y['av']}: {y['text']}")
        tally = vote_tally(p)
        if tally:
            print(f"    Omröstning: {tally['ja']} ja, {tally['nej']} nej, {tally['avstar']} avstår")
        for text in p["beslut"]:
            print(f"    Beslut: {text}")
        for nr, r in enumerate(p["reservationer"], 1):
            print(f"    Reservation {nr}: {_join_names(r['av'])}")


# --- admin: the shared register's roles (they open no store: nämndtool/admin.py connects itself) ---------------


def _admin_run(args, command) -> int:
    from nämndtool import admin

    location = args.db or default_store_path()
    refused = admin.refusal_on_sqlite(location)
    if refused:
        print(refused)
        return 0
    for line in command(location):
        print(line)
    return 0


def _admin_init(args) -> int:
    from nämndtool import admin
    return _admin_run(args, admin.init)


def _admin_add_user(args) -> int:
    from nämndtool import admin
    return _admin_run(args, lambda location: admin.add_user(location, args.login, args.role, person=args.person,
                                                            password_prompt=args.password_prompt))


def _admin_remove_user(args) -> int:
    from nämndtool import admin
    return _admin_run(args, lambda location: admin.remove_user(location, args.login))


def _admin_users(args) -> int:
    from nämndtool import admin
    return _admin_run(args, admin.users)


_ADMIN_HANDLERS = (_admin_init, _admin_add_user, _admin_remove_user, _admin_users)
