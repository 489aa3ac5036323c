"""The JavaScript that nbconvert's slides template loads, fetched from the npm registry and served with the decks.

The template (nbconvert 7's ``reveal``) points at CDNs: reveal.js 4.0.2 on unpkg, jQuery 2.0.3, require.js 2.1.10
and MathJax 2.7.7 on cdnjs, mermaid 11.10.0 as an ES module on cdnjs, and, on a page that stores widget state,
``@jupyter-widgets/html-manager`` on unpkg. The chapters' outputs add one: matplotlib's animations
(``Animation.to_jshtml``) link Font Awesome 4.4.0 on a CDN for the icons of their buttons. A classroom without
internet gets none of them. Each is pinned here to the version asked for, with the registry's integrity hash, and
fetched once with ``npm pack`` (the npm client, nothing else) into a cache; ``copy_assets`` copies the files the
decks need next to them.

Two pins differ from the template's own, for want of the exact version on npm: jQuery 2.0.3 was never published
there, so 2.1.0, the first 2.x release on npm (the template uses ``$`` for one height query); and the widget
manager, which the template asks for as ``*``, is the 1.x line that ipywidgets 8 declares
(``ipywidgets.__html_manager_version__``), at its last release.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

CACHE = Path(__file__).resolve().parents[2] / ".cache" / "slides" / "npm"


@dataclass(frozen=True)
class Asset:
    """One npm package the decks load: which release, and which of its files (relative to ``package/``)."""

    name: str
    version: str
    integrity: str
    folder: str
    files: tuple[str, ...]

    @property
    def spec(self) -> str:
        return f"{self.name}@{self.version}"

    @property
    def tarball(self) -> str:
        """The file name ``npm pack`` gives the package's tarball."""
        return f"{self.name.lstrip('@').replace('/', '-')}-{self.version}.tgz"


ASSETS = (
    Asset("reveal.js", "4.0.2",
          "sha512-LWZSUenufF1gpD7npxJ7KfoQQFKgc1D6XrLTFgKlwWNP1BQ74hT48KONFWMAw+8R/QUeaScCLCLrBVHDfFIEiw==",
          "reveal.js", ("dist/reveal.css", "dist/reveal.js", "dist/theme/white.css", "dist/theme/fonts",
                        "plugin/notes/notes.js", "LICENSE")),
    Asset("jquery", "2.1.0",
          "sha512-QyJAvw0LUlUPci88C5LTFNtg4WFs70Dkqmwq4rZyOBflduKnHZakpIIDjhZVygAQbUqaghv6msUyP5TmRoNevQ==",
          "jquery", ("dist/jquery.min.js", "MIT-LICENSE.txt")),
    Asset("requirejs", "2.1.10",
          "sha512-4JqdTihK3kOnT387LxCHuJZ/9QsKg2EIl7LmaW35PIyM4LwCI2jwyy4fy6pbY/ZZH2JoY/QEcb5PzULFPP6gcQ==",
          "requirejs", ("require.js",)),
    Asset("mathjax", "2.7.7",
          "sha512-OOl0B2/0tSJAtAZarXnQuLDBLgTNRqiI9VqHTQzPsxf4okT2iIpDrvaklK9x2QEMD1sDj4yRn11Ygci41DxMAQ==",
          "mathjax", ("MathJax.js", "config/TeX-AMS_CHTML-full.js", "config/Safe.js", "extensions",
                      "jax/input/TeX", "jax/output/CommonHTML", "jax/element", "fonts/HTML-CSS/TeX/woff",
                      "fonts/HTML-CSS/TeX/otf", "localization/en", "LICENSE")),
    Asset("mermaid", "11.10.0",
          "sha512-oQsFzPBy9xlpnGxUqLbVY8pvknLlsNIJ0NWwi8SUJjhbP1IT0E0o1lfhU4iYV3ubpy+xkzkaOyDUQMn06vQElQ==",
          "mermaid", ("dist/mermaid.esm.min.mjs", "dist/chunks/mermaid.esm.min", "LICENSE")),
    Asset("font-awesome", "4.4.0",
          "sha512-h45v/TF2b9d6JiBnyluFrjZRyJXXkRjWbTKxb0ygTScxdP8gWdgMBaghbDuSLQFHNkj3M0eNrLxfTEiQo93ARQ==",
          "font-awesome", ("css/font-awesome.min.css", "fonts")),
    Asset("@jupyter-widgets/html-manager", "1.0.15",
          "sha512-5thBIV6ymNgmPVOHvzx+gGy8ZSKmSazhtGw4/c4xJDVzRhG9PTeQsRjF3FUTopvFi//SABeNz1yp47bCrJ3CQA==",
          "html-manager", ("dist",)),
)
SKIPPED_SUFFIXES = (".map", ".d.ts")
SKIPPED_FILES = ("dist/embed.js", "dist/embed.js.LICENSE.txt", "dist/libembed-amd.js")


class AssetUnavailableError(RuntimeError):
    """A pinned package could not be fetched (no npm, no registry) or did not match its integrity hash."""


def integrity_of(path: Path) -> str:
    """The integrity string npm records for a tarball: ``sha512-`` and the base64 SHA-512 digest."""
    return "sha512-" + base64.b64encode(hashlib.sha512(path.read_bytes()).digest()).decode()


def fetch(asset: Asset, cache: Path = CACHE) -> Path:
    """The package's tarball in ``cache``, fetched with ``npm pack`` unless a verified copy is there."""
    cache.mkdir(parents=True, exist_ok=True)
    tarball = cache / asset.tarball
    if not tarball.is_file() or integrity_of(tarball) != asset.integrity:
        npm = shutil.which("npm")
        if npm is None:
            raise AssetUnavailableError(
                f"npm is needed to fetch {asset.spec} for the slides (Debian: apt-get install npm), or put its "
                f"tarball in {cache}")
        run = subprocess.run([npm, "pack", asset.spec, "--json", "--pack-destination", str(cache)],
                             capture_output=True, text=True, timeout=600)
        if run.returncode != 0:
            raise AssetUnavailableError(f"npm pack {asset.spec} failed: {run.stderr.strip()[-1500:]}")
        packed = cache / json.loads(run.stdout)[0]["filename"]
        if packed != tarball:
            packed.replace(tarball)
    if integrity_of(tarball) != asset.integrity:
        raise AssetUnavailableError(f"{tarball} does not match the pinned integrity of {asset.spec}")
    return tarball


def wanted(asset: Asset, member: str) -> bool:
    relative = member.removeprefix("package/")
    if relative.endswith(SKIPPED_SUFFIXES) or relative in SKIPPED_FILES:
        return False
    return any(relative == path or relative.startswith(path.rstrip("/") + "/") for path in asset.files)


def copy_assets(destination: Path, cache: Path = CACHE) -> dict[str, Path]:
    """Unpack the files each deck needs into ``destination/<folder>``; returns each package's folder."""
    folders = {}
    for asset in ASSETS:
        target = destination / asset.folder
        shutil.rmtree(target, ignore_errors=True)
        with tarfile.open(fetch(asset, cache)) as archive:
            members = [member for member in archive.getmembers() if member.isfile() and wanted(asset, member.name)]
            for member in members:
                member.name = member.name.removeprefix("package/")
            archive.extractall(target, members=members, filter="data")
        missing = [path for path in asset.files if not (target / path).exists()]
        if missing:
            raise AssetUnavailableError(f"{asset.spec} has no {missing}: its pinned file list is wrong")
        folders[asset.name] = target
    return folders
