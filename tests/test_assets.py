"""The example CSVs ship unchanged: their hashes are the ones assets/data/README.md records."""

import hashlib
import re
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "assets" / "data"


def recorded_hashes() -> dict[str, str]:
    text = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^\| `([\w.-]+\.csv)` \|.*\| `([0-9a-f]{64})` \|$", text, flags=re.MULTILINE))


def test_every_shipped_csv_has_a_recorded_hash_and_matches_it():
    hashes = recorded_hashes()
    assert set(hashes) == {path.name for path in EXAMPLES.glob("*.csv")} == {"titanic.csv", "penguins.csv"}
    for name, digest in hashes.items():
        assert hashlib.sha256((EXAMPLES / name).read_bytes()).hexdigest() == digest, f"{name} was changed"
