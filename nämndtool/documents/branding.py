"""Branding settings (kommun, logo, fonts, sizes, colours, headings) read from TOML, never from code.

The defaults ship in resources/branding.toml; the kansli's own file in the user's config directory (or the file
named by NAMNDTOOL_BRANDING) overrides any value it gives.
"""

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from nämndtool.assets import resource
from nämndtool.errors import NamndtoolError
from nämndtool.paths import APP_NAME


def genitive(name: str) -> str:
    """ "Socialnämnden" → "Socialnämndens"; a name ending in s, x or z takes no extra s."""
    return name if name[-1:].lower() in "sxz" else f"{name}s"


def user_branding_path() -> Path:
    configured = os.environ.get("NAMNDTOOL_BRANDING")
    if configured:
        return Path(configured)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "branding.toml"


@dataclass(frozen=True)
class Branding:
    values: dict
    base_dir: Path | None  # where a relative logo path is read from

    def get(self, section: str, key: str):
        return self.values[section][key]

    def forslag_heading(self, forvaltning: str | None) -> str:
        """The heading over the förslag till beslut: the kansli's own heading for this förvaltning when its file
        gives one, else the förvaltning's own name ("Socialförvaltningens förslag till beslut"), else the default
        ("Förvaltningens förslag till beslut") when no förvaltning is given."""
        headings = self.values["text"]["forslag_rubrik"]
        name = (forvaltning or "").strip()
        if name in headings:
            return headings[name]
        return f"{genitive(name)} förslag till beslut" if name else headings["default"]

    def font_file(self, style: str) -> bytes:
        """The font file for regular, bold, italic or bold_italic: the kansli's own file or a shipped one."""
        name = self.values["font"][style]
        own = self.base_dir / name if self.base_dir else None
        if own and own.is_file():
            return own.read_bytes()
        return resource("fonts", name).read_bytes()

    def logo(self) -> bytes | None:
        name = self.values["organisation"]["logo"]
        if not name:
            return None
        path = Path(name) if Path(name).is_absolute() or not self.base_dir else self.base_dir / name
        try:
            return path.read_bytes()
        except OSError:
            raise NamndtoolError(
                f"Logotypen {path} som anges i profilfilen finns inte. Rätta sökvägen under [organisation] logo."
            ) from None


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        merged[key] = _merge(base[key], value) if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return merged


def load_branding(path: Path | None = None) -> Branding:
    values = tomllib.loads(resource("branding.toml").read_text(encoding="utf-8"))
    path = path or user_branding_path()
    if not path.is_file():
        return Branding(values, None)
    try:
        own = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise NamndtoolError(
            f"Profilfilen {path} går inte att läsa ({error}). Rätta filen eller ta bort den för att använda standardprofilen."
        ) from None
    return Branding(_merge(values, own), path.parent)
