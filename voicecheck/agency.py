"""An agency's brands: one folder per brand, each fitted with the others as its peers.

    brands/
      maison-claire/  brand.toml  facebook.csv  instagram.csv
      savon-doux/     brand.toml  posts/ ...

Every brand folder holds a `brand.toml` and the brand's posts (files and folders of any format
voicecheck reads). A brand's peers are the other brands of the folder, named after their
folders, and whatever its own brand.toml lists under [peers].
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from voicecheck.errors import InputError
from voicecheck.i18n import _
from voicecheck.peers import check_name

PROFILE_NAME = "brand.toml"


@dataclass(frozen=True)
class BrandFolder:
    """One brand of an agency: its name (its folder's), its brand.toml and its posts' files."""

    name: str
    profile: Path
    sources: tuple[Path, ...]


def brand_folders(root: str | Path) -> list[BrandFolder]:
    """The brand folders under `root`, in name order: each folder but hidden ones must hold a brand.toml.

    A folder without one (a misspelt `Brand.toml`) is refused rather than passed over, which
    would leave a brand without a model and out of the others' peers, unsaid.
    """
    root = Path(root)
    if not root.is_dir():
        raise InputError(_("{path}: no such folder (give the folder holding one folder per brand)").format(path=root))
    brands = []
    for folder in sorted(entry for entry in root.iterdir() if entry.is_dir() and not entry.name.startswith(".")):
        profile = folder / PROFILE_NAME
        if not profile.is_file():
            message = _(
                "{path}: no {file} in this brand folder (a folder that is no brand can be hidden with a leading '.')"
            )
            raise InputError(message.format(path=folder, file=PROFILE_NAME))
        sources = tuple(
            sorted(entry for entry in folder.iterdir() if entry.name != PROFILE_NAME and not entry.name.startswith("."))
        )
        if not sources:
            raise InputError(_("{path}: a brand.toml but no posts beside it").format(path=folder))
        brands.append(BrandFolder(check_name(folder.name), profile, sources))
    if not brands:
        message = _("{path}: no brand folders (a brand folder holds a {file} and the brand's posts)")
        raise InputError(message.format(path=root, file=PROFILE_NAME))
    return brands
