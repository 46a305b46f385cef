"""Municipality and service resolution: the gazetteer against exact matching of nominative names.

Every municipality in every common case form (nominative, genitive, inessive/adessive,
elative/ablative, illative/allative: the forms of data/catalogue/areas.yml plus the hand list in
benchmarks/data/forms.yml), its Swedish and Sámi names, every seed service in four cases
(benchmarks/data/forms.yml), and seeded one-edit typos of all the Finnish forms; each put in a
short sentence that fits its case ("asun {Sodankylässä}") and run through
``bot.nlu.gazetteers.find_entities`` with ``build_gazetteers()``.

An item is right when the mentions of its entity type found in the sentence are exactly the
expected one (nothing missed, nothing else). The baseline finds a name only when its
nominative (Finnish, Swedish or Sámi name; a service's name or keyword) occurs in the
lower-cased sentence as a whole word.
"""

from __future__ import annotations

import random
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from benchmarks.noise import one_edit_typo
from bot.catalogue.search_index import keyword_list
from bot.catalogue.seed import read_seed
from bot.nlu.gazetteers import build_gazetteers, find_entities
from bot.text.finnish import is_known_word
from bot.text.gazetteer import Gazetteer, allowed_edits

FORMS_FILE = Path(__file__).parent / "data" / "forms.yml"
SEED = 6
MUNICIPALITY_CASES = ("nominative", "genitive", "locative", "elative", "illative")
SERVICE_CASES = ("nominative", "partitive", "genitive", "illative")
# Sentences that fit each case; none of their own words names a municipality or a service
# (checked by ``check_carriers``).
CARRIERS = {
    "municipality": {
        "nominative": ["{}", "kotikuntani on {}"],
        "genitive": ["{} kunnan asukas", "mikä on {} puhelinnumero"],
        "locative": ["asun {}", "äiti asuu yksin {}"],
        "elative": ["soitan {}", "olen kotoisin {}"],
        "illative": ["muutin {}", "isä muuttaa {} ensi kuussa"],
    },
    "service": {
        "nominative": ["{}", "mikä on {}"],
        "partitive": ["tarvitsen {}", "miten haen {}"],
        "genitive": ["mitkä ovat {} ehdot", "kuka vastaa {} järjestämisestä"],
        "illative": ["miten pääsen {}", "haluan ilmoittautua {}"],
    },
}
KIND_ORDER = (
    "nominative", "nominative, lower case", "genitive", "locative", "elative", "illative",
    "partitive", "swedish", "sami", "typo",
)


@dataclass(frozen=True)
class NameForm:
    """A name as a user writes it, with the catalogue value it must resolve to."""

    entity: str  # municipality | service
    value: str  # municipality code or service id
    form: str
    kind: str  # one of KIND_ORDER
    case: str  # the grammatical case, which picks the sentence
    typo_word: str | None = None  # the misspelt word, for typos


@dataclass(frozen=True)
class ResolutionItem:
    name: NameForm
    text: str


def read_forms() -> dict:
    return yaml.safe_load(FORMS_FILE.read_text(encoding="utf-8"))


def municipality_forms(seed: dict, hand: dict) -> list[NameForm]:
    forms: list[NameForm] = []
    for m in seed["municipalities"]:
        code = str(m["code"])
        extra = hand.get("municipalities", {}).get(code, {})

        def add(form: str | None, kind: str, case: str, code: str = code) -> None:
            if form:
                forms.append(NameForm("municipality", code, form, kind, case))

        add(m["name_fi"], "nominative", "nominative")
        add(m["name_fi"].lower(), "nominative, lower case", "nominative")
        add(m["genitive_fi"], "genitive", "genitive")
        for case in ("locative", "elative", "illative"):
            add(m.get(f"{case}_fi"), case, case)
            for form in extra.get(case, []):
                add(form, case, case)
        if m.get("name_sv") and m["name_sv"] != m["name_fi"]:
            add(m["name_sv"], "swedish", "nominative")
        add(m.get("name_se"), "sami", "nominative")
    return forms


def service_forms(seed: dict, hand: dict) -> list[NameForm]:
    published = {s["id"] for s in seed["services"] if s.get("status") == "published"}
    forms: list[NameForm] = []
    for service_id, cases in hand["services"].items():
        if service_id not in published:
            raise ValueError(f"benchmarks/data/forms.yml names an unknown service {service_id!r}")
        for case, form in zip(SERVICE_CASES, cases, strict=True):
            forms.append(NameForm("service", service_id, form, case, case))
    missing = published - set(hand["services"])
    if missing:
        raise ValueError(f"benchmarks/data/forms.yml has no forms for {sorted(missing)}")
    return forms


def typo_forms(forms: list[NameForm], per_form: int, rng: random.Random) -> list[NameForm]:
    """``per_form`` one-edit typos of each Finnish form, none of which is a correct form."""
    correct = {f.form.lower() for f in forms}
    typos: list[NameForm] = []
    for name in forms:
        if name.kind in ("swedish", "sami", "nominative, lower case"):
            continue
        made: set[str] = set()
        for _attempt in range(per_form * 10):
            if len(made) == per_form:
                break
            words = name.form.split(" ")
            i = rng.choice([k for k, w in enumerate(words) if len(w) >= 3] or [0])
            words[i] = one_edit_typo(words[i], rng)
            typo = " ".join(words)
            if typo.lower() not in correct and typo not in made:
                made.add(typo)
                typos.append(
                    NameForm(name.entity, name.value, typo, "typo", name.case, words[i])
                )
    return typos


def resolution_items(typos_per_form: int, seed_dir: Path | None = None) -> list[ResolutionItem]:
    seed = read_seed(seed_dir) if seed_dir else read_seed()
    hand = read_forms()
    rng = random.Random(SEED)
    names = municipality_forms(seed, hand) + service_forms(seed, hand)
    names += typo_forms(names, typos_per_form, rng)
    return [
        ResolutionItem(name, rng.choice(CARRIERS[name.entity][name.case]).format(name.form))
        for name in names
    ]


class ExactNameMatch:
    """The baseline: a name is found only as its lower-cased nominative, as a whole word."""

    def __init__(self, seed: dict | None = None) -> None:
        seed = seed or read_seed()
        self.names: dict[str, dict[str, str]] = {"municipality": {}, "service": {}}
        for m in seed["municipalities"]:
            for key in ("name_fi", "name_sv", "name_se"):
                if m.get(key):
                    self.names["municipality"].setdefault(m[key].lower(), str(m["code"]))
        for s in seed["services"]:
            if s.get("status") != "published":
                continue
            for name in [s["name_fi"], *keyword_list(s.get("keywords_fi"))]:
                self.names["service"].setdefault(name.lower(), s["id"])
        self._patterns = {
            entity: [
                (re.compile(rf"(?<!\w){re.escape(name)}(?!\w)"), value)
                for name, value in sorted(names.items(), key=lambda kv: -len(kv[0]))
            ]
            for entity, names in self.names.items()
        }

    def find(self, text: str) -> list[tuple[str, str]]:
        """(entity, value) of each name found, longest names first, without overlaps."""
        lowered = " ".join(text.lower().split())
        found: list[tuple[str, str]] = []
        for entity, patterns in self._patterns.items():
            taken: list[tuple[int, int]] = []
            for pattern, value in patterns:
                for match in pattern.finditer(lowered):
                    if any(s < match.end() and match.start() < e for s, e in taken):
                        continue
                    taken.append(match.span())
                    found.append((entity, value))
        return found


def check_carriers(gazetteers: dict[str, Gazetteer], baseline: ExactNameMatch) -> None:
    """The carrier sentences must name nothing by themselves, or the scores would lie."""
    for by_case in CARRIERS.values():
        for sentences in by_case.values():
            for sentence in sentences:
                empty = sentence.format("").strip()
                named = [m for m in find_entities(empty, gazetteers)
                         if m.entity in ("municipality", "service")]
                named += [f for f in baseline.find(empty)]
                if named:
                    raise ValueError(f"carrier {sentence!r} names something itself: {named}")


def run_resolution(typos_per_form: int) -> dict:
    gazetteers = build_gazetteers()
    baseline = ExactNameMatch()
    check_carriers(gazetteers, baseline)
    items = resolution_items(typos_per_form)
    rows = []
    for item in items:
        name = item.name
        found = sorted({m.value for m in find_entities(item.text, gazetteers)
                        if m.entity == name.entity})
        found_baseline = sorted({v for e, v in baseline.find(item.text) if e == name.entity})
        rows.append({
            **asdict(name),
            "text": item.text,
            "found": found,
            "found_baseline": found_baseline,
            "correct": found == [name.value],
            "correct_baseline": found_baseline == [name.value],
            "typo_class": typo_class(name) if name.kind == "typo" else None,
        })
    return summarise(rows)


TYPO_CLASSES = {
    "short": "the misspelt word has under 5 letters: no edit is tolerated, by design",
    "finnish_word": "the misspelt word is a Finnish word Voikko knows: never fuzzy-matched, "
    "by design",
    "inflected": "a typo in an inflected form (stem or case ending misspelt)",
    "nominative": "a typo in a nominative",
}


def typo_class(name: NameForm) -> str:
    word = name.typo_word or ""
    if allowed_edits(word) == 0:
        return "short"
    if is_known_word(word):
        return "finnish_word"
    return "nominative" if name.case == "nominative" else "inflected"


def _accuracy(rows: list[dict], key: str) -> float | None:
    return sum(r[key] for r in rows) / len(rows) if rows else None


def summarise(rows: list[dict]) -> dict:
    def block(selected: list[dict]) -> dict:
        return {
            "n": len(selected),
            "accuracy": _accuracy(selected, "correct"),
            "baseline_accuracy": _accuracy(selected, "correct_baseline"),
            "wrong_value": sum(1 for r in selected if r["found"] and not r["correct"]),
            "missed": sum(1 for r in selected if not r["found"]),
        }

    by_entity = {}
    for entity in ("municipality", "service"):
        selected = [r for r in rows if r["entity"] == entity]
        by_entity[entity] = {
            **block(selected),
            "by_kind": {
                kind: block([r for r in selected if r["kind"] == kind])
                for kind in KIND_ORDER
                if any(r["kind"] == kind for r in selected)
            },
        }
    return {
        "description": __doc__.strip(),
        "seed": SEED,
        "overall": block(rows),
        "without_typos": block([r for r in rows if r["kind"] != "typo"]),
        "typos": block([r for r in rows if r["kind"] == "typo"]),
        "by_entity": by_entity,
        "typos_by_class": {
            cls: {**block([r for r in rows if r["typo_class"] == cls]), "meaning": meaning}
            for cls, meaning in TYPO_CLASSES.items()
        },
        "failures": [
            {k: r[k] for k in ("entity", "value", "kind", "typo_class", "text", "found")}
            for r in rows if not r["correct"]
        ],
    }
