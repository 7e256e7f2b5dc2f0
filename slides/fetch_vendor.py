"""Re-create slides/vendor/ from the npm registry (maintainers only; `make slides` never runs this).

The decks load reveal.js and MathJax from files next to them, never from a CDN, so that a lecture can be
given without internet. Those files are committed in slides/vendor/ (about 3 MB), copied unchanged out of
two npm tarballs. This script is how they got there and how to upgrade them:

    python slides/fetch_vendor.py            # npm pack, check the tarballs' sha512, extract, write SOURCES.json
    python slides/fetch_vendor.py --check    # only check the committed files against SOURCES.json

Only the files a deck needs are kept: reveal.js's script, stylesheet, white theme and its woff fonts
(browsers pick woff before ttf/eot, so those are left out), the speaker-notes plugin, and MathJax's
single-file TeX-to-SVG bundle (SVG output needs no font files, and the "full" bundle includes every TeX
extension, so nothing is loaded on demand).
"""

import argparse
import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VENDOR = Path(__file__).resolve().parent / "vendor"
SOURCES = VENDOR / "SOURCES.json"

# name -> (npm version, npm dist.integrity, files kept: path inside the tarball's package/ folder)
PACKAGES = {
    "reveal.js": (
        "5.2.1",
        "sha512-r7//6mIM5p34hFiDMvYfXgyjXqGRta+/psd9YtytsgRlrpRzFv4RbH76TXd2qD+7ZPZEbpBDhdRhJaFgfQ7zNQ==",
        [
            "LICENSE",
            "dist/reveal.js",
            "dist/reveal.css",
            "dist/theme/white.css",
            "dist/theme/fonts/source-sans-pro/LICENSE",
            "dist/theme/fonts/source-sans-pro/source-sans-pro.css",
            "dist/theme/fonts/source-sans-pro/source-sans-pro-regular.woff",
            "dist/theme/fonts/source-sans-pro/source-sans-pro-italic.woff",
            "dist/theme/fonts/source-sans-pro/source-sans-pro-semibold.woff",
            "dist/theme/fonts/source-sans-pro/source-sans-pro-semibolditalic.woff",
            "plugin/notes/notes.js",
        ],
    ),
    "mathjax": (
        "3.2.2",
        "sha512-Bt+SSVU8eBG27zChVewOicYs7Xsdt40qm4+UpHyX7k0/O9NliPc+x77k1/FEsPsjKPZGJvtRZM1vO+geW0OhGw==",
        ["LICENSE", "es5/tex-svg-full.js"],
    ),
}


def sha256(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def npm_integrity(path):
    return "sha512-" + base64.b64encode(hashlib.sha512(Path(path).read_bytes()).digest()).decode()


def fetch():
    sources = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, (version, integrity, files) in PACKAGES.items():
            out = subprocess.run(
                ["npm", "pack", f"{name}@{version}", "--silent"],
                cwd=tmp, check=True, capture_output=True, text=True,
            ).stdout.split()[-1]
            tarball = Path(tmp) / out
            got = npm_integrity(tarball)
            if got != integrity:
                sys.exit(f"{name}@{version}: integrity {got} differs from the pinned {integrity}")
            target = VENDOR / name
            shutil.rmtree(target, ignore_errors=True)
            with tarfile.open(tarball) as tar:
                for rel in files:
                    member = tar.extractfile(f"package/{rel}")
                    dest = target / rel
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    dest.write_bytes(member.read())
            sources[name] = {
                "version": version,
                "npm_integrity": integrity,
                "files": {rel: sha256(target / rel) for rel in files},
            }
    SOURCES.write_text(json.dumps(sources, indent=2) + "\n")
    print(f"wrote {SOURCES}")


def check():
    """Return a list of problems: committed vendor files missing or differing from SOURCES.json."""
    sources = json.loads(SOURCES.read_text())
    problems = []
    for name, entry in sources.items():
        for rel, digest in entry["files"].items():
            path = VENDOR / name / rel
            if not path.is_file():
                problems.append(f"missing {path}")
            elif sha256(path) != digest:
                problems.append(f"changed {path}")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only verify the committed files")
    args = parser.parse_args(argv)
    if args.check:
        problems = check()
        print("\n".join(problems) or "slides/vendor matches SOURCES.json")
        return 1 if problems else 0
    fetch()
    return 0


if __name__ == "__main__":
    sys.exit(main())
