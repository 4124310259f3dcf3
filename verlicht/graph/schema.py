"""Node and edge kinds of the VERLICHT graph, and the stable ids they get.

Ids are plain strings derived only from the sources (``concept:sociale_cohesie``,
``assumption:verloop_bewoners->sociale_cohesie:-``), so rebuilding, pushing to
Neo4j (MERGE) or exporting to RDF (IRIs) is idempotent. This module is the one
description of the schema that every export derives from.
"""

from __future__ import annotations

NODE_KINDS = (
    "Concept", "Assumption", "Respondent", "Source", "Utterance",
    "Mission", "Goal", "Theme", "Area", "Indicator", "Observation",
    "Intervention", "Step", "Mechanism",
    "Review", "ReviewRound", "Study", "Finding",
)
EDGE_KINDS = {
    "CAUSE": ("Assumption", "Concept"),
    "EFFECT": ("Assumption", "Concept"),
    "HOLDS": ("Respondent", "Assumption"),
    "INTERVIEWED_IN": ("Respondent", "Source"),
    "RELATED": ("Concept", "Concept"),
    "MEASURES": ("Indicator", "Concept"),
    "TESTS": ("Indicator", "Assumption"),
    "TRACKS": ("Indicator", "Goal"),
    "IN_THEME": ("Goal", "Theme"),
    "IN_MISSION": ("Theme", "Mission"),
    "SERVES": ("Goal", "Mission"),
    "OBSERVED": ("Indicator", "Observation"),
    "IN_AREA": ("Observation", "Area"),
    "EVIDENCED_BY": ("Assumption", "Utterance"),
    "IN": ("Utterance", "Source"),
    # Intervention logic models (logic/*.yaml): the scheme's chain, what measures it, where it meets the QNA graph.
    "HAS_STEP": ("Intervention", "Step"),
    "LEADS_TO": ("Step", "Step"),  # an arrow of the scheme; its mechanisms' ids in ``mechanisms``
    "EXPLAINS": ("Mechanism", "Step"),  # the step the mechanism's arrow leads to (``from_step`` on the node)
    "MONITORS": ("Indicator", "Step"),
    "ABOUT": ("Step", "Concept"),
    "IS_CONCEPT": ("Mechanism", "Concept"),
    "AIMS_AT": ("Step", "Goal"),
    # Living reviews (reviews/SLUG/): rounds, included studies and what they found (verlicht.reviews.nodes).
    "HAS_ROUND": ("Review", "ReviewRound"),
    "IDENTIFIED": ("ReviewRound", "Study"),  # the round that first found the study
    "INCLUDES": ("Review", "Study"),
    "REPORTS": ("Study", "Finding"),
    "SUPPORTS": ("Finding", "Assumption"),
    "CONTRADICTS": ("Finding", "Assumption"),
    "MIXED": ("Finding", "Assumption"),
    "NO_EFFECT": ("Finding", "Assumption"),  # a null finding
    "CONCERNS": ("Finding", "Concept"),  # its cause and effect, or the one concept a finding is about
    "COVERS": ("Review", "Concept"),  # the protocol's linked concepts
}
POLARITIES = ("+", "-", "?")
GROUPS = ("bewoner", "professional", "bestuurder")
INTERVIEWER = "interviewer"
UNKNOWN_GROUP = "onbekend"
GROUP_SYNONYMS = {
    "bewoner": "bewoner", "bewoners": "bewoner", "resident": "bewoner", "residents": "bewoner",
    "professional": "professional", "professionals": "professional", "professioneel": "professional",
    "bestuurder": "bestuurder", "bestuurders": "bestuurder", "administrator": "bestuurder",
    "administrators": "bestuurder", "bestuur": "bestuurder",
    "interviewer": INTERVIEWER, "onderzoeker": INTERVIEWER, "researcher": INTERVIEWER,
}


def concept_id(code: str) -> str:
    return f"concept:{code}"


def assumption_id(cause: str, effect: str, polarity: str) -> str:
    return f"assumption:{cause}->{effect}:{polarity}"


def respondent_id(case: str) -> str:
    return f"respondent:{case}"


def source_id(path: str) -> str:
    return f"source:{path}"


def utterance_id(source: str, line: int, uid: str | None) -> str:
    return f"utterance:{uid}" if uid else f"utterance:{source}#L{line}"


def mission_id() -> str:
    """The programme has one mission; its id names what it is, as the other ids do."""
    return "mission:programme"


def goal_id(number: int) -> str:
    return f"goal:{number}"


def theme_id(key: str) -> str:
    return f"theme:{key}"


def area_id(key: str) -> str:
    return f"area:{key}"


def indicator_id(key: str) -> str:
    return f"indicator:{key}"


def observation_id(indicator: str, area: str, period: str) -> str:
    return f"observation:{indicator}:{area}:{period}"


def intervention_id(key: str) -> str:
    return f"intervention:{key}"


def step_id(intervention: str, step: str) -> str:
    return f"step:{intervention}/{step}"


def mechanism_id(intervention: str, source: str, target: str, key: str) -> str:
    """A mechanism is one reason on one arrow: the same words under two arrows are two mechanisms."""
    return f"mechanism:{intervention}/{source}->{target}/{key}"


def review_id(slug: str) -> str:
    return f"review:{slug}"


def review_round_id(slug: str, number: int) -> str:
    return f"round:{slug}/{number}"


def study_id(doi: str, fallback: str) -> str:
    """A study is one work: by its DOI when it has one (the same work in two reviews is one node)."""
    return f"study:doi:{doi}" if doi else f"study:{fallback}"


def finding_id(slug: str, record: str, number: int) -> str:
    return f"finding:{slug}/{record}/{number}"


def relation_key(source: str, target: str, type_: str) -> str:
    """Key of a non-causal relation (between two concept ids) in the evidence index."""
    return f"relation:{source.split(':', 1)[1]}->{target.split(':', 1)[1]}||{type_}"


def normalise_group(value: object) -> str | None:
    """bewoner/professional/bestuurder/interviewer from common spellings; None when unknown."""
    if value is None:
        return None
    return GROUP_SYNONYMS.get(str(value).strip().casefold())
