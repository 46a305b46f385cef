"""Synthetic services in realistic Finnish, for the catalogue search benchmark.

A name is a compound of a need and a kind of help ("muisti" + "neuvonta"), with a qualifier
("ikäihmisten", "tilapäinen") or the organiser's place in the genitive ("Kemin",
"Rovaniemen"), and often an organiser's own name from made-up place names ("Vuotsonkylän
muistineuvonta"), as real catalogues are full of proper names. Keywords are related compounds.
Words repeat as in a real catalogue: a few very common ("palvelu", "ikäihminen"), a long tail
of rare ones. Rows go in with SQLAlchemy core bulk inserts; ``search_term`` rows are computed
with ``bot.catalogue.search_index.terms_for``, as the ORM hook would.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from types import SimpleNamespace

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from bot.catalogue.models import (
    AreaType,
    CatalogueRevision,
    Municipality,
    PublishingStatus,
    SearchTerm,
    Service,
    service_municipality,
)
from bot.catalogue.search_index import terms_for

# Needs (compound first parts) and kinds of help (heads) with the partitive and genitive a
# query uses: "tarvitsen muistineuvontaa", "kotihoidon hinta".
NEEDS = """
koti muisti omais perhe päivä kuntoutus asumis ateria kauppa kuljetus siivous turva vertais
ystävä liikunta kylvetys sauna hoiva seniori vanhus vammais kriisi lääke ravitsemus jalka suu
näkö kuulo apuväline asiointi sairaan mielenterveys päihde velka edunvalvonta omaishoitaja
hengitys diabetes sydän uni kaatumis lumityö piha puutarha tietokone puhelin pankki
""".split()
HEADS = [
    ("hoito", "hoitoa", "hoidon"),
    ("palvelu", "palvelua", "palvelun"),
    ("neuvonta", "neuvontaa", "neuvonnan"),
    ("ohjaus", "ohjausta", "ohjauksen"),
    ("kuntoutus", "kuntoutusta", "kuntoutuksen"),
    ("toiminta", "toimintaa", "toiminnan"),
    ("ryhmä", "ryhmää", "ryhmän"),
    ("tuki", "tukea", "tuen"),
    ("apu", "apua", "avun"),
    ("kerho", "kerhoa", "kerhon"),
    ("vastaanotto", "vastaanottoa", "vastaanoton"),
    ("valmennus", "valmennusta", "valmennuksen"),
    ("kurssi", "kurssia", "kurssin"),
    ("lainaamo", "lainaamoa", "lainaamon"),
    ("kartoitus", "kartoitusta", "kartoituksen"),
]
QUALIFIERS = """
ikäihmisten omaishoitajien muistisairaiden tilapäinen säännöllinen maksuton yksityinen
kunnallinen ryhmämuotoinen yksilöllinen etä kotiin annettava ympärivuorokautinen viikoittainen
""".split()
# Syllables for made-up place and organiser names: the long tail of rare words.
SYLLABLES = """
vuo tso kaa kku ri ra nu sie ni per ho vaa ra kan ga sa lo jär vi jo ki mä ki lam pi
suo mu tun tu ri aa pa ve si la hti nie mi ran ta koi vu kos ki
""".split()
GENITIVES = ["Kemin", "Rovaniemen", "Tornion", "Sodankylän", "Inarin", "Kittilän", "Sallan",
             "Posion", "Ranuan", "Simon", "Tervolan", "Kolarin", "Muonion", "Pellon"]


@dataclass(frozen=True)
class SyntheticService:
    id: str
    name_fi: str
    keywords: tuple[str, ...]
    status: PublishingStatus
    area_type: AreaType
    municipalities: tuple[str, ...]


def _proper_name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _compound(rng: random.Random) -> tuple[str, tuple[str, str, str]]:
    need = rng.choice(NEEDS)
    head = rng.choice(HEADS)
    return need, head


def generate_services(
    count: int, municipality_codes: list[str], seed: int, start: int = 0
) -> list[SyntheticService]:
    rng = random.Random(seed * 1_000_003 + start)
    services = []
    for n in range(start, start + count):
        need, (head, _part, _gen) = _compound(rng)
        compound = need + head
        shape = rng.random()
        if shape < 0.35:
            name = f"{rng.choice(QUALIFIERS).capitalize()} {compound}"
        elif shape < 0.6:
            name = f"{rng.choice(GENITIVES)} {compound}"
        elif shape < 0.85:
            name = f"{_proper_name(rng)}n {compound}"
        else:
            name = compound.capitalize()
        keywords = {compound, need + rng.choice(HEADS)[0], rng.choice(NEEDS) + head}
        if rng.random() < 0.5:
            keywords.add(f"{rng.choice(QUALIFIERS)} {rng.choice(NEEDS)}{rng.choice(HEADS)[0]}")
        if rng.random() < 0.3:
            keywords.add(_proper_name(rng).lower())
        status_roll = rng.random()
        status = (
            PublishingStatus.published if status_roll < 0.9
            else PublishingStatus.draft if status_roll < 0.96
            else PublishingStatus.retired
        )
        if rng.random() < 0.3:
            area_type = AreaType.Municipalities
            listed = tuple(sorted(rng.sample(municipality_codes, rng.randint(1, 3))))
        else:
            area_type, listed = AreaType.WholeCounty, ()
        services.append(SyntheticService(
            f"synth-{n:06d}", name, tuple(sorted(keywords)), status, area_type, listed
        ))
    return services


def _summary(service: SyntheticService) -> str:
    return f"{service.name_fi}: palvelu ikäihmisille."


def insert_services(engine: Engine, services: list[SyntheticService], chunk: int = 5000) -> int:
    """Bulk-insert services, their municipalities and search terms; returns search_term rows."""
    term_rows = 0
    with engine.begin() as connection:
        for i in range(0, len(services), chunk):
            part = services[i : i + chunk]
            connection.execute(insert(Service.__table__), [
                {
                    "id": s.id, "status": s.status.value, "area_type": s.area_type.value,
                    "name_fi": s.name_fi, "keywords_fi": "\n".join(s.keywords),
                    "summary_fi": _summary(s), "is_example": True,
                }
                for s in part
            ])
            links = [
                {"service_id": s.id, "municipality_code": code}
                for s in part for code in s.municipalities
            ]
            if links:
                connection.execute(insert(service_municipality), links)
            terms = []
            for s in part:
                source = SimpleNamespace(
                    name_fi=s.name_fi, name_sv=None, name_en=None,
                    keywords_fi="\n".join(s.keywords), keywords_sv=None, keywords_en=None,
                    keywords_se=None,
                    summary_fi=_summary(s), summary_sv=None, summary_en=None,
                    description_fi=None, description_sv=None, description_en=None,
                )
                terms += [
                    {"service_id": s.id, "language": language, "term": term, "weight": weight}
                    for (language, term), weight in terms_for(source).items()
                ]
            connection.execute(insert(SearchTerm.__table__), terms)
            term_rows += len(terms)
        bumped = connection.execute(
            update(CatalogueRevision).where(CatalogueRevision.id == 1)
            .values(revision=CatalogueRevision.revision + 1)
        )
        if bumped.rowcount == 0:
            connection.execute(insert(CatalogueRevision.__table__).values(id=1, revision=1))
    return term_rows


def municipality_codes(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return sorted(connection.execute(select(Municipality.code)).scalars())


@dataclass(frozen=True)
class SearchQuery:
    text: str
    municipality_code: str | None
    kind: str


def generate_queries(count: int, codes: list[str], seed: int) -> list[SearchQuery]:
    """What people type: inflected compounds, seed-service words, typos, with a municipality."""
    from benchmarks.noise import one_edit_typo

    rng = random.Random(seed)
    seed_words = ["kotihoitoa", "turvapuhelin", "omaishoidon tukea", "ateriapalvelu",
                  "muistihoitaja", "siivousapua", "kuljetuspalvelua", "palveluasumista"]
    queries = []
    for _ in range(count):
        need, (head, partitive, genitive) = _compound(rng)
        roll = rng.random()
        if roll < 0.3:
            queries.append(SearchQuery(f"tarvitsen {need}{partitive}", None, "partitive"))
        elif roll < 0.45:
            text = f"paljonko {need}{head} maksaa"
            queries.append(SearchQuery(text, rng.choice(codes), "nominative, municipality"))
        elif roll < 0.6:
            queries.append(SearchQuery(f"{need}{genitive} hakeminen", None, "genitive"))
        elif roll < 0.8:
            queries.append(SearchQuery(one_edit_typo(need + head, rng), None, "typo"))
        else:
            text = f"miten haen {rng.choice(seed_words)}"
            queries.append(SearchQuery(text, rng.choice(codes), "seed service, municipality"))
    return queries
