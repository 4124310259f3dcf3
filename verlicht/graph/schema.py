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


# -- What each kind means: the terms every export derives from (RDF/OWL, SHACL, GraphML, Neo4j) ---------------
# Kinds declared here but not (yet) in NODE_KINDS/EDGE_KINDS, such as the living reviews', get their ontology
# terms ahead of their nodes; a kind in NODE_KINDS without a description here still exports, under its name.
KIND_TERMS: dict[str, tuple[str, str, str, str]] = {  # kind: (label nl, label en, definition nl, definition en)
    "Concept": ("Concept", "Concept", "Een begrip uit het codeboek: actor, factor, mechanisme, interventie, "
                "uitkomst of context.", "A codebook concept: actor, factor, mechanism, intervention, outcome "
                "or context."),
    "Assumption": ("Aanname", "Assumption", "Een causale bewering oorzaak → gevolg met een richting (+, − of ?), "
                   "zoals geïnterviewden die uitspreken.", "A causal claim cause → effect with a polarity (+, − "
                   "or ?), as voiced by interviewees."),
    "Respondent": ("Respondent", "Respondent", "Een gepseudonimiseerde geïnterviewde (of interviewer) met rol, "
                   "groep en wijk.", "A pseudonymous interviewee (or interviewer) with role, group and "
                   "neighbourhood."),
    "Source": ("Bron", "Source", "Een geanonimiseerd, gecodeerd ROCK-transcript.",
               "An anonymised, coded ROCK transcript."),
    "Utterance": ("Uiting", "Utterance", "Eén geanonimiseerde regel van een bron.",
                  "One anonymised line of a source."),
    "Mission": ("Missie", "Mission", "De missie van het programma.", "The programme's mission."),
    "Goal": ("Doel", "Goal", "Een van de programmadoelen.", "One of the programme's goals."),
    "Theme": ("Thema", "Theme", "Een thema van het programma dat doelen groepeert.",
              "A programme theme grouping goals."),
    "Area": ("Gebied", "Area", "Een wijk of vergelijkingsgebied van de monitoring.",
             "A neighbourhood or comparison area of the monitoring."),
    "Indicator": ("Indicator", "Indicator", "Een meetbare grootheid, meestal van het CBS, met eenheid en "
                  "richting.", "A measurable quantity, mostly from Statistics Netherlands, with unit and "
                  "direction."),
    "Observation": ("Waarneming", "Observation", "De waarde van een indicator in een gebied en periode.",
                    "The value of an indicator in an area and period."),
    "Intervention": ("Interventie", "Intervention", "Een interventie met haar monitoringsschema (logisch model).",
                     "An intervention with its monitoring scheme (logic model)."),
    "Step": ("Stap", "Step", "Een stap van een monitoringsschema: middelen, activiteiten, prestaties of "
             "effecten.", "A step of a monitoring scheme: inputs, activities, outputs or outcomes."),
    "Mechanism": ("Mechanisme", "Mechanism", "Een reden waarom de ene stap tot de volgende leidt.",
                  "A reason why one step leads to the next."),
    "Review": ("Review", "Review", "Een levende systematische review die een vraag uit Heerlen-Noord "
               "beantwoordt.", "A living systematic review answering a question from Heerlen-Noord."),
    "ReviewRound": ("Zoekronde", "Review round", "Een zoek- en selectieronde van een review.",
                    "One search and screening round of a review."),
    "Study": ("Studie", "Study", "Een publicatie die in een review is opgenomen.",
              "A publication included in a review."),
    "Finding": ("Bevinding", "Finding", "Een bevinding van een studie over een aanname of concept.",
                "A finding of a study about an assumption or concept."),
}
EDGE_TERMS: dict[str, tuple[str, str, str, str]] = {  # edge kind: (label nl, label en, definition nl, en)
    "CAUSE": ("oorzaak", "cause", "Het begrip aan de oorzaakkant van de aanname.",
              "The concept on the cause side of the assumption."),
    "EFFECT": ("gevolg", "effect", "Het begrip aan de gevolgkant van de aanname.",
               "The concept on the effect side of the assumption."),
    "HOLDS": ("onderschrijft", "holds", "De respondent sprak de aanname uit.", "The respondent voiced the "
              "assumption."),
    "INTERVIEWED_IN": ("geïnterviewd in", "interviewed in", "De respondent spreekt in deze bron.",
                       "The respondent speaks in this source."),
    "RELATED": ("verwant aan", "related to", "Een niet-causale QNA-relatie tussen twee begrippen.",
                "A non-causal QNA relation between two concepts."),
    "MEASURES": ("meet", "measures", "De indicator meet het begrip.", "The indicator measures the concept."),
    "TESTS": ("toetst", "tests", "De indicator toetst de aanname rechtstreeks.",
              "The indicator tests the assumption directly."),
    "TRACKS": ("volgt", "tracks", "De indicator volgt het doel.", "The indicator tracks the goal."),
    "IN_THEME": ("in thema", "in theme", "Het doel hoort bij het thema.", "The goal belongs to the theme."),
    "IN_MISSION": ("in missie", "in mission", "Het thema dient de missie.", "The theme serves the mission."),
    "SERVES": ("dient", "serves", "Het doel dient de missie.", "The goal serves the mission."),
    "OBSERVED": ("waargenomen", "observed", "Een waarneming van de indicator.",
                 "An observation of the indicator."),
    "IN_AREA": ("in gebied", "in area", "Het gebied van de waarneming.", "The area of the observation."),
    "EVIDENCED_BY": ("onderbouwd door", "evidenced by", "De uiting waarin de aanname werd uitgesproken.",
                     "The utterance in which the assumption was voiced."),
    "IN": ("in bron", "in source", "De bron waarin de uiting staat.", "The source the utterance is in."),
    "HAS_STEP": ("heeft stap", "has step", "Een stap van het schema van de interventie.",
                 "A step of the intervention's scheme."),
    "LEADS_TO": ("leidt tot", "leads to", "Een pijl van het schema: de ene stap leidt tot de volgende.",
                 "An arrow of the scheme: one step leads to the next."),
    "EXPLAINS": ("verklaart", "explains", "Het mechanisme verklaart de pijl naar deze stap.",
                 "The mechanism explains the arrow into this step."),
    "MONITORS": ("monitort", "monitors", "De indicator monitort de stap.", "The indicator monitors the step."),
    "ABOUT": ("gaat over", "about", "De stap gaat over het begrip.", "The step is about the concept."),
    "IS_CONCEPT": ("is begrip", "is concept", "Het mechanisme is dit begrip uit het codeboek.",
                   "The mechanism is this codebook concept."),
    "AIMS_AT": ("beoogt", "aims at", "De stap beoogt het doel.", "The step aims at the goal."),
    "SUPPORTS": ("ondersteunt", "supports", "De bevinding ondersteunt de aanname of het begrip.",
                 "The finding supports the assumption or concept."),
    "CONTRADICTS": ("weerspreekt", "contradicts", "De bevinding weerspreekt de aanname of het begrip.",
                    "The finding contradicts the assumption or concept."),
    "MIXED": ("gemengd", "mixed", "De bevinding is gemengd over de aanname of het begrip.",
              "The finding is mixed about the assumption or concept."),
    "REPORTS": ("rapporteert", "reports", "De studie rapporteert de bevinding.", "The study reports the finding."),
    "INCLUDES": ("omvat", "includes", "De review omvat de studie.", "The review includes the study."),
    "HAS_ROUND": ("heeft ronde", "has round", "De review heeft deze zoekronde.", "The review has this search round."),
    "IDENTIFIED": ("vond", "identified", "De zoekronde vond de studie als eerste.",
                   "The search round first identified the study."),
    "NO_EFFECT": ("geen effect", "no effect", "De bevinding laat geen effect zien op de aanname (nulbevinding).",
                  "The finding shows no effect on the assumption (a null finding)."),
    "CONCERNS": ("betreft", "concerns", "De bevinding betreft dit begrip.", "The finding concerns this concept."),
    "COVERS": ("bestrijkt", "covers", "Het protocol van de review bestrijkt dit begrip.",
               "The review's protocol covers this concept."),
}
# The properties of each kind, as ``name:type``; types: string, text (one per language: ``name_nl``, ``name_en``),
# local (text in the workspace's language), integer, decimal, boolean, json. ``!`` marks what every node of the
# kind has, ``*`` a list of values.
NODE_PROPERTIES: dict[str, str] = {
    "Concept": "code:string! type:string! label:text description:string theme:string in_codebook:boolean! "
               "uses:integer!",
    "Assumption": "cause:string! effect:string! polarity:string! support:integer! groups:json evidence:integer "
                  "sources:integer weight:decimal contested:boolean types:string*",
    "Respondent": "case:string! group:string! role:string wijk:string anonymous_source:boolean attributes:json",
    "Source": "path:string! sha256:string! lines:integer utterances:integer",
    "Utterance": "text:local! line:integer! uid:string cid:string coder:string codes:string* network:string* "
                 "section:integer nesting:integer",
    "Mission": "label:text",
    "Goal": "number:integer! label:text short:text theme:string",
    "Theme": "key:string! label:text",
    "Area": "key:string! label:string area_kind:string focus:boolean",
    "Indicator": "key:string! label:string definition:string unit:string direction:string publisher:string "
                 "baseline:string reference:string cbs_table:string cbs_measure:string goals:integer* "
                 "themes:string* measures:string* tests:string*",
    "Observation": "indicator:string! area:string! period:string! value:decimal!",
    "Intervention": "key:string! label:text description:string source:string path:string steps:integer "
                    "mechanisms:integer",
    "Step": "key:string! intervention:string! stage:string! order:integer text:text measure:string path:string "
            "line:integer concepts:string* goals:integer* indicators:string*",
    "Mechanism": "key:string! intervention:string! from_step:string! to_step:string! text:text concept:string "
                 "path:string line:integer",
    "Review": "key:string! question:string! review_type:string framework:string elements:json path:string "
              "interval_months:integer last_search:string next_due:string rounds:integer records:integer "
              "studies:integer findings:integer",
    "ReviewRound": "review:string! number:integer! date:string databases:string* identified:integer "
                   "duplicates:integer new:integer",
    "Study": "label:string title:string authors:string* year:integer journal:string doi:string pmid:string "
             "records:json",
    "Finding": "review:string! study:string! direction:string! label:string target:string cause:string "
               "effect:string concept:string polarity:string design:string effect_size:string measure:string "
               "risk_of_bias:string page:string quote:string path:string line:integer",
}

EDGE_PROPERTIES: dict[str, str] = {  # the same for the properties an edge kind carries
    "HOLDS": "evidence:integer!", "RELATED": "types:json!", "LEADS_TO": "mechanisms:string*",
    "EVIDENCED_BY": "relation:string",
}


def node_properties(kind: str) -> list[tuple[str, str, bool, bool]]:
    """``(name, type, required, many)`` for each declared property of a node or edge ``kind`` (none for an
    undeclared kind)."""
    found = []
    for word in (NODE_PROPERTIES.get(kind) or EDGE_PROPERTIES.get(kind, "")).split():
        name, type_ = word.split(":")
        found.append((name, type_.rstrip("!*"), type_.endswith("!"), type_.endswith("*")))
    return found
SINGLE_EDGES = ("CAUSE", "EFFECT", "IN")  # every node at the source end has exactly one of these
