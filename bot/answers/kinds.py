"""What a question asks, as the answers and the staff preview both know it.

Each kind carries the Finnish label the staff preview shows and, for a question about one
service, the parts of the service's record its answer gives. ``bot.guidance`` registers one
handler per kind.
"""

from __future__ import annotations

import enum


class QuestionKind(str, enum.Enum):
    """A kind is its string value too: ``QuestionKind("cost") == "cost"``."""

    label: str
    sections: tuple[str, ...]

    def __new__(cls, value: str, label: str = "", sections: tuple[str, ...] = ()) -> QuestionKind:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        member.sections = sections
        return member

    # About one service: the staff preview shows these four.
    INFO = ("info", "Kun kysytään, mikä palvelu on",
            ("summary", "description", "target_group"))
    COST = ("cost", "Kun kysytään hintaa", ("summary", "fee", "how_to_apply"))
    APPLY = ("apply", "Kun kysytään, miten haetaan", ("summary", "how_to_apply"))
    ELIGIBILITY = ("eligibility", "Kun kysytään, kuka voi saada",
                   ("summary", "target_group", "how_to_apply"))
    # About the topic's own service (huoli-ilmoitus): a worried neighbour rarely names it.
    WORRY = ("worry", "Kun joku on huolissaan toisesta",
             ("summary", "description", "how_to_apply"))
    FIND = ("find", "Kun kysytään, mitä apua on")
    CARER = ("carer", "Kun omaishoitaja kysyy jaksamisesta")
    HOURS = ("hours", "Kun kysytään aukioloa")
    CONTACT = ("contact", "Kun kysytään, mihin soittaa")
    # Answered first with a fixed text (112, 116 117, a greeting, the contact form); the
    # catalogue adds only a service the message names.
    URGENT = ("urgent", "Kiireellinen terveysasia")
    EMERGENCY = ("emergency", "Hätätilanne")
    GREET = ("greet", "Tervehdys")
    CALL_BACK = ("call_back", "Soittopyyntö")
    # The classifier was not sure, or thinks the assistant cannot help: answered from the
    # catalogue only when the message names something it knows.
    UNCLEAR = ("unclear", "Kun kysymys jää epäselväksi")
    OUT_OF_SCOPE = ("out_of_scope", "Kun kysymys ei kuulu palveluohjaukseen")

    def __str__(self) -> str:
        return self.value

    @classmethod
    def parse(cls, value: str | None, default: QuestionKind | None = None) -> QuestionKind:
        """The kind named ``value``; unknown or empty values give ``default`` (contact)."""
        try:
            return cls(value)
        except ValueError:
            return default or cls.CONTACT

    @property
    def is_about_one_service(self) -> bool:
        return self in ABOUT_ONE_SERVICE

    @property
    def is_unsure(self) -> bool:
        return self in UNSURE


ABOUT_ONE_SERVICE = (QuestionKind.INFO, QuestionKind.COST, QuestionKind.APPLY,
                     QuestionKind.ELIGIBILITY)
SERVICE_QUESTIONS = (*ABOUT_ONE_SERVICE, QuestionKind.WORRY)
UNSURE = (QuestionKind.UNCLEAR, QuestionKind.OUT_OF_SCOPE)
ASIDES = (QuestionKind.URGENT, QuestionKind.GREET, QuestionKind.EMERGENCY,
          QuestionKind.CALL_BACK)
