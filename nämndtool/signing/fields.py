"""Empty signature fields in a justerat protokoll, added before anyone signs, tagged so the file stays PDF/UA-1
and PDF/A-2a.

Each field is one invisible widget (zero-size ``/Rect``, so PDF/A asks for no appearance stream and no font) with
the Print flag, its accessible name in ``/TU`` ("Underskrift: Sekreterare Anna Andersson"), and a ``Form`` element
in the structure tree pointing at it through an object reference (``OBJR``), found again through the widget's
``/StructParent`` in the parent tree. The role and name are also kept in two private keys of the field
(``/NamndtoolRoll``, ``/NamndtoolNamn``) so ``verify`` reads them back exactly.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass

from nämndtool.errors import NamndtoolError

ROLL_KEY = "/NamndtoolRoll"
NAMN_KEY = "/NamndtoolNamn"
TU_PREFIX = "Underskrift: "
_FIELD_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]*\Z")


@dataclass(frozen=True)
class SignatureField:
    """One person's place to sign: ``name`` is the PDF field name (ASCII: "sekreterare", "ordforande",
    "justerare_1" …), ``roll`` the role in Swedish ("Sekreterare", "Ordförande", "Justerande"), ``namn`` who is
    to sign."""

    name: str
    roll: str
    namn: str

    @property
    def label(self) -> str:
        """The accessible name a screen reader says for the field."""
        return f"{TU_PREFIX}{self.roll} {self.namn}".strip()


def _check(fields: Sequence[SignatureField]) -> None:
    if not fields:
        raise NamndtoolError("Ange minst ett underskriftsfält att lägga till i protokollet.")
    seen = set()
    for spec in fields:
        if not _FIELD_NAME.match(spec.name or ""):
            raise NamndtoolError(
                f"Fältnamnet \"{spec.name}\" kan inte användas för en underskrift: det ska börja med en bokstav "
                "och bara innehålla a–z, A–Z, siffror och understreck (till exempel \"justerare_1\").")
        if spec.name in seen:
            raise NamndtoolError(f"Underskriftsfältet \"{spec.name}\" finns två gånger; ge varje fält ett eget namn.")
        if not spec.namn.strip() or not spec.roll.strip():
            raise NamndtoolError(f"Underskriftsfältet \"{spec.name}\" saknar roll eller namn på den som ska "
                                 "skriva under; fyll i båda.")
        seen.add(spec.name)


def open_pdf(pdf: bytes):
    """The PDF opened with pikepdf, or NamndtoolError in Swedish when it cannot be read."""
    import pikepdf

    try:
        return pikepdf.open(io.BytesIO(pdf))
    except pikepdf.PasswordError:
        raise NamndtoolError("PDF-filen kräver ett lösenord och kan inte förses med underskriftsfält. "
                             "Använd protokollet som programmet skapade, utan lösenord.") from None
    except (pikepdf.PdfError, ValueError, OSError) as error:
        raise NamndtoolError(f"Filen är ingen läsbar PDF-fil ({type(error).__name__}). Skapa protokollets PDF "
                             "på nytt och försök igen.") from None


def add_signature_fields(pdf: bytes, fields: Sequence[SignatureField]) -> bytes:
    """An unsigned PDF with empty signature fields added, in the given order (a full rewrite with pikepdf, so it
    must happen before any signature). The result stays PDF/A-2a and PDF/UA-1: each widget is tagged (a ``Form``
    element with an OBJR, ``/StructParent`` on the widget, a parent tree entry, ``/TU``), printable and of zero
    size. Refuses a signed PDF, an untagged one and a field name that already exists."""
    import pikepdf
    from pikepdf import Array, Dictionary, Name, String

    _check(fields)
    with open_pdf(pdf) as doc:
        root = doc.Root
        if len(doc.pages) == 0:
            raise NamndtoolError("PDF-filen har inga sidor och kan inte förses med underskriftsfält.")
        acroform = root.get("/AcroForm")
        existing = {}
        if acroform is not None:
            for field in acroform.get("/Fields", Array()):
                existing[str(field.get("/T", ""))] = field
        if any(f.get("/FT") == Name.Sig and "/V" in f for f in existing.values()):
            raise NamndtoolError("Protokollet är redan undertecknat av någon; underskriftsfält kan bara läggas till "
                                 "innan den första underskriften. Skapa en ny PDF av protokollet om fälten ska "
                                 "ändras.")
        for spec in fields:
            if spec.name in existing:
                raise NamndtoolError(f"Protokollet har redan ett fält som heter \"{spec.name}\"; välj ett annat "
                                     "namn.")
        tree = root.get("/StructTreeRoot")
        if tree is None:
            raise NamndtoolError("PDF-filen är inte taggad (saknar strukturträd), så underskriftsfälten kan inte "
                                 "göras tillgängliga. Skapa protokollets PDF med programmet och försök igen.")
        parent = _document_element(doc, tree)
        parent_tree = _parent_tree(doc, tree)
        next_key = int(tree.get("/ParentTreeNextKey", _max_key(parent_tree) + 1))

        page = doc.pages[-1]
        if acroform is None:
            acroform = root.AcroForm = doc.make_indirect(Dictionary(Fields=Array()))
        if "/Fields" not in acroform:
            acroform.Fields = Array()
        annots = page.obj.get("/Annots")
        if annots is None:
            annots = page.obj.Annots = Array()
        page.obj.Tabs = Name.S    # PDF/UA: tab order follows the structure on a page with annotations
        kids = parent.get("/K")
        if kids is None:
            kids = Array()
        elif not isinstance(kids, Array):
            kids = Array([kids])
        for spec in fields:
            widget = doc.make_indirect(Dictionary(
                Type=Name.Annot, Subtype=Name.Widget, FT=Name.Sig, T=String(spec.name), TU=String(spec.label),
                F=4, Rect=Array([0, 0, 0, 0]), P=page.obj, StructParent=next_key,
            ))
            widget[ROLL_KEY] = String(spec.roll)
            widget[NAMN_KEY] = String(spec.namn)
            element = doc.make_indirect(Dictionary(
                Type=Name.StructElem, S=Name.Form, P=parent, Pg=page.obj, Alt=String(spec.label),
                K=Dictionary(Type=Name.OBJR, Obj=widget, Pg=page.obj),
            ))
            kids.append(element)
            _parent_tree_add(parent_tree, next_key, element)
            next_key += 1
            annots.append(widget)
            acroform.Fields.append(widget)
        parent.K = kids
        tree.ParentTreeNextKey = next_key
        out = io.BytesIO()
        try:
            doc.save(out, deterministic_id=True)
        except pikepdf.PdfError as error:   # pragma: no cover - qpdf could read it but not write it
            raise NamndtoolError(f"PDF-filen kunde inte skrivas med underskriftsfälten ({error}).") from None
        return out.getvalue()


def _document_element(doc, tree):
    """The structure element new Form elements go under: the root's single Document element, else the root."""
    from pikepdf import Array, Dictionary

    top = tree.get("/K")
    if isinstance(top, Array) and len(top) == 1:
        top = top[0]
    if isinstance(top, Dictionary) and top.get("/Type", None) in (None, "/StructElem") and "/S" in top:
        return top
    return tree


def _parent_tree(doc, tree):
    from pikepdf import Array, Dictionary

    if "/ParentTree" not in tree:
        tree.ParentTree = doc.make_indirect(Dictionary(Nums=Array()))
    return tree.ParentTree


def _leaves(node):
    """The number-tree nodes that hold /Nums, left to right."""
    if "/Nums" in node:
        yield node
    for kid in node.get("/Kids", ()):
        yield from _leaves(kid)


def _max_key(parent_tree) -> int:
    keys = [int(leaf.Nums[i]) for leaf in _leaves(parent_tree) for i in range(0, len(leaf.Nums), 2)]
    return max(keys, default=-1)


def _parent_tree_add(parent_tree, key: int, element) -> None:
    """Add key → element at the end of the number tree (keys only grow), keeping /Limits right."""
    from pikepdf import Array

    leaves = list(_leaves(parent_tree))
    leaf = leaves[-1] if leaves else parent_tree
    if "/Nums" not in leaf:
        leaf.Nums = Array()
    leaf.Nums.append(key)
    leaf.Nums.append(element)
    if "/Limits" in leaf:
        leaf.Limits = Array([leaf.Limits[0], key])
    if leaf is not parent_tree:   # every intermediate node's upper limit grows too
        _raise_limits(parent_tree, key)


def _raise_limits(node, key: int) -> None:
    from pikepdf import Array

    if "/Kids" not in node:
        return
    if "/Limits" in node:
        node.Limits = Array([node.Limits[0], key])
    _raise_limits(node.Kids[len(node.Kids) - 1], key)
