"""The dashboard: static HTML pages for administrators, professionals and residents, from the last build.

``verlicht report`` (and :meth:`verlicht.api.Workspace.report`) writes five pages to ``graphs/report/``:

* ``index.html``         — what the report is, and a link to each page;
* ``bestuurders.html``   — the mission and the 12 goals: per goal how its indicators stand against the
  national reference and how they moved since the baseline, as inline SVG charts with tables beside them;
* ``professionals.html`` — the assumptions with the most support, each with anonymised quotes and
  ``source:line``; the mechanisms of the logic models; literature findings when the graph holds reviews;
  what is not measured;
* ``bewoners.html``      — plain Dutch (B1): what residents said, what is being tracked and what not yet;
  no jargon (:data:`JARGON` lists the words that page never uses);
* ``lacunes.html``       — the gap list (``verlicht gaps``) in full.

What the pages may show is bounded by the build: every quote comes from the build's provenance
(``graphs/evidence.json`` and ``graphs/provenance/``), never from the sources on disk, so text edited
after the build or never coded stays out, and respondents appear only by pseudonym and group. The indicator
figures are computed as ``verlicht indicators status`` computes them, from the build's Indicator and
Observation nodes (:func:`built_status_inputs`), so they too are the build's. The pages are written all or
nothing, hold no time stamp and no script, load nothing from the network (styles and charts are inline), and
are the same bytes for the same build.
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from verlicht.errors import QueryError, VerlichtError
from verlicht.fsio import replace_all
from verlicht.graph import queries
from verlicht.graph.schema import GROUPS
from verlicht.graph.store import Provenance
from verlicht.indicators.status import DEFAULT_AREA, status_rows
from verlicht.indicators.status import goal_rows as status_goal_rows
from verlicht.indicators.tables import DEFAULT_BASELINE, DEFAULT_DIRECTION, Indicator, Observation
from verlicht.programme import Catalogue, workspace_catalogue
from verlicht.viz import charts

if TYPE_CHECKING:
    from verlicht.api import Workspace

LANGS = ("nl", "en")
TOP_ASSUMPTIONS = 30  # assumptions shown with their quotes on the professionals' page
QUOTES_PER_CLAIM = 3  # quotes per assumption, from different respondents where there are
RESIDENT_CLAIMS = 8  # claims shown on the residents' page
RESIDENT_OPEN = 6  # topics residents raise that nothing tracks yet
MEASURED_SHOWN = 4  # what is counted, per goal, on the residents' page

# Words the residents' page must not use (checked on the rendered text, in both languages).
JARGON = {
    "nl": ("aanname", "indicator", "coverage", "dekking", "mechanisme", "respondent", "polariteit", "lacune"),
    "en": ("assumption", "indicator", "coverage", "mechanism", "respondent", "polarity"),
}


@dataclass(frozen=True, slots=True)
class Page:
    key: str
    file: str


PAGES = (Page("index", "index.html"), Page("bestuurders", "bestuurders.html"),
         Page("professionals", "professionals.html"), Page("bewoners", "bewoners.html"),
         Page("lacunes", "lacunes.html"))

TEXT: dict[str, dict[str, Any]] = {
    "nl": {
        "brand": "VERLICHT", "skip": "Naar de inhoud", "nav_label": "Pagina's van dit rapport",
        "nav_index": "Overzicht", "nav_bestuurders": "Voor bestuurders", "nav_professionals": "Voor professionals",
        "nav_bewoners": "Voor bewoners", "nav_lacunes": "Wat nog niet gemeten wordt",
        "title_index": "Monitoringrapport", "title_bestuurders": "De 12 doelen: waar staan we?",
        "title_professionals": "Aannames, mechanismen en bewijs",
        "title_bewoners": "Wat mensen vertellen over de wijk", "title_lacunes": "Wat nog niet gemeten wordt",
        "lead_index": "Dit rapport laat zien wat geïnterviewde bewoners, professionals en bestuurders denken dat "
                      "er in de wijk werkt, en wat de cijfers zeggen. Kies de pagina die bij u past.",
        "for_bestuurders": "De missie en de 12 doelen: hoe de indicatoren ervoor staan ten opzichte van het "
                           "landelijk gemiddelde, en hoe ze zich sinds de nulmeting ontwikkelen.",
        "for_professionals": "De aannames die het vaakst genoemd worden, met citaten en vindplaats, de "
                             "werkingsmechanismen van interventies en wat nog niet gemeten wordt.",
        "for_bewoners": "In gewone woorden: wat mensen vertellen, wat we bijhouden en wat nog niet.",
        "for_lacunes": "De volledige lijst van aannames die niet of maar aan één kant gemeten worden, en van "
                       "interventiestappen en mechanismen zonder indicator.",
        "glance": "In het kort",
        "glance_no_claims": "Er zijn nog geen gecodeerde interviews verwerkt.",
        "glance_no_figures": "Er zijn nog geen cijfers verwerkt, dus van geen van de {goals} doelen is bekend hoe "
                             "het sinds de nulmeting gaat.",
        "no_figures": "De build bevat nog geen cijfers: voeg waarnemingen toe aan indicators/observations.csv "
                      "(verlicht indicators import of fetch-cbs) en draai verlicht build opnieuw.",
        "no_assumptions": "Nog geen aannames: codeer interviews in interviews/ en draai verlicht build.",
        "glance_claims": "{respondents} {voice} {assumptions}; {unmeasured} daarvan meet nog geen enkele "
                         "indicator, {partial} maar aan één kant.",
        "glance_goals": "Sinds de nulmeting gaan {up} van de {goals} doelen vooral de goede kant op, {down} de "
                        "verkeerde kant en {mixed} wisselend; van {unknown} is het nog niet bekend.",
        "built_from": "Gemaakt uit de build van werkruimte", "footer": "Gemaakt met VERLICHT (Open Universiteit) "
        "uit de laatste build. Alle citaten zijn geanonimiseerd.",
        "counts": "{sources} · {respondents} · {assumptions} · {indicators}",
        # One and more of a thing (the count goes in front): the pages say "1 aanname", not "1 aannames".
        "n_sources": ("interview", "interviews"), "n_respondents": ("geïnterviewde", "geïnterviewden"),
        "n_assumptions": ("aanname", "aannames"), "n_indicators": ("indicator", "indicatoren"),
        "n_voice": ("noemt", "noemen"),
        "mission": "Missie", "goal": "Doel", "theme": "Thema",
        "area": "Gebied", "unit": "eenheid", "baseline": "nulmeting", "latest": "laatst",
        "reference": "referentie", "gap": "verschil", "standing": "stand", "since_baseline": "sinds nulmeting",
        "trend": "trend per jaar", "indicator": "Indicator",
        "better": "beter", "worse": "slechter", "level": "gelijk", "not judged": "niet beoordeeld",
        "no_reference": "geen referentie", "no_data": "geen gegevens", "not_judged": "niet beoordeeld",
        "improved": "verbeterd", "worsened": "verslechterd", "unchanged": "onveranderd",
        "goal_summary": "{with_data} van {indicators} indicatoren met gegevens: {better} beter dan de referentie, "
                        "{level} gelijk, {worse} slechter; sinds de nulmeting {improved} verbeterd en "
                        "{worsened} verslechterd.",
        "goal_bar": "Stand van de indicatoren van doel {number}",
        "no_indicators": "Nog geen indicator volgt dit doel.",
        "chart_desc": "{area}: {first} ({first_period}) tot {last} ({last_period}).",
        "chart_desc_ref": " {ref}: {value} ({period}).",
        "chart_none": "Nog geen gegevens.",
        "table_caption": "Indicatoren van doel {number}, {area} tegen de referentie",
        "about_charts": "Per indicator: de lijn van {area} (doorgetrokken, rondjes) tegen de referentie "
                        "(gestreept, vierkantjes), met de nulmeting als stippellijn. De tabel eronder geeft "
                        "dezelfde cijfers.",
        "overview": "Overzicht van de doelen",
        "overview_caption": "De 12 doelen: stand van hun indicatoren",
        "assumptions": "Aannames met de meeste steun", "cause": "oorzaak", "effect": "gevolg",
        "polarity": "richting", "support": "steun", "holders": "wie", "coverage": "meting",
        "contested": "betwist", "quotes": "Citaten", "pol_+": "versterkt", "pol_-": "verzwakt",
        "pol_?": "beïnvloedt",
        "cov_tested": "getoetst", "cov_measurable": "meetbaar", "cov_partial": "deels gemeten",
        "cov_unmeasured": "niet gemeten",
        "assumptions_lead": "{shown} van de {total} aannames, op steun (het aantal geïnterviewden dat ze "
                            "noemt). Meting: getoetst (een indicator toetst de aanname), meetbaar (oorzaak en "
                            "gevolg gemeten), deels gemeten (één kant) of niet gemeten.",
        "assumptions_more": "De overige {more}: verlicht query assumptions.",
        "coverage_summary": "Meting van alle aannames",
        "group_bewoner": "bewoner", "group_professional": "professional", "group_bestuurder": "bestuurder",
        "group_onbekend": "onbekend",
        "mechanisms": "Werkingsmechanismen van interventies", "stage": "fase", "step": "stap",
        "measured_by": "gemeten met", "arrow": "van → naar", "mechanism": "mechanisme",
        "no_logic": "Deze werkruimte heeft nog geen logische modellen (logic/*.yaml).",
        "literature": "Literatuur", "finding": "bevinding", "study": "studie", "about": "over",
        "rel_SUPPORTS": "ondersteunt", "rel_CONTRADICTS": "weerspreekt", "rel_MIXED": "gemengd",
        "unmeasured": "Wat nog niet gemeten wordt",
        "unmeasured_lead": "{assumptions} aannames worden niet of maar aan één kant gemeten; {steps} "
                           "interventiestappen en {mechanisms} mechanismen hebben nog geen indicator. De "
                           "belangrijkste:",
        "full_list": "De volledige lijst",
        "gaps_assumptions": "Aannames die niet of maar aan één kant gemeten worden",
        "gaps_steps": "Interventiestappen zonder indicator",
        "gaps_mechanisms": "Mechanismen zonder indicator", "goals": "doelen", "distance": "afstand",
        "intervention": "interventie", "none": "Geen.",
        "gaps_lead": "Wat geïnterviewden noemen maar nog niet gemeten wordt, het belangrijkst eerst: eerst wat "
                     "een doel raakt, dan op steun en afstand tot het doel (zoals verlicht gaps).",
        # Residents' page: plain Dutch (B1), no jargon.
        "res_lead": "Onderzoekers van de Open Universiteit praten met mensen uit {area}: bewoners, mensen die "
                    "er werken en mensen van de gemeente. Ze vragen wat er goed gaat en wat beter kan. Hier leest "
                    "u wat mensen vertelden, en wat we bijhouden.",
        "res_people": "We spraken met {n} mensen.", "res_person": "We spraken met 1 persoon.",
        "res_said": "Wat mensen zeggen",
        "res_said_lead": "Dit zijn dingen die mensen vaak noemen. Ze zeggen dat het ene het andere beïnvloedt: "
                         "als er meer is van het een, is er meer (of minder) van het ander.",
        "res_claim_+": "Meer {cause} geeft meer {effect}.", "res_claim_-": "Meer {cause} geeft minder {effect}.",
        "res_claim_?": "{Cause} en {effect} hangen met elkaar samen.",
        "res_times": "{n} mensen zeggen dit.", "res_time": "1 persoon zegt dit.",
        "res_quote_by": "Een bewoner", "res_quote_other": "Iemand die in de wijk werkt",
        "res_quote_admin": "Iemand van de gemeente of een organisatie",
        "res_tracked": "Wat we bijhouden",
        "res_tracked_lead": "Het programma heeft 12 doelen. Voor elk doel houden we cijfers bij{where}, en we "
                            "kijken of het beter gaat dan bij het begin{since}.",
        "res_where": " over {area}", "res_since": ", in {year}",
        "res_tracked_none": "Het programma heeft 12 doelen. Er zijn nog geen cijfers{where} verwerkt.",
        "res_counts": "Wat we tellen:", "res_nothing": "Hier tellen we nog niets voor.",
        "res_figures": "We houden hier {n} cijfers over bij.", "res_figure": "We houden hier 1 cijfer over bij.",
        "res_up": "Gaat de goede kant op", "res_down": "Gaat de verkeerde kant op",
        "res_mixed": "Deels beter, deels slechter", "res_unknown": "Dat weten we nog niet",
        "res_open": "Waar we nog niets over bijhouden",
        "res_open_lead": "Mensen praten hier vaak over. Maar we houden er nog geen cijfers over bij.",
        "res_open_item": "{label}: {n} mensen praten erover.", "res_open_one": "{label}: 1 persoon praat erover.",
        "res_nobody": "Er zijn nog geen gesprekken verwerkt.",
        "res_footer": "Alle namen en andere gegevens waaraan iemand te herkennen is, zijn weggehaald.",
    },
    "en": {
        "brand": "VERLICHT", "skip": "Skip to content", "nav_label": "Pages of this report",
        "nav_index": "Overview", "nav_bestuurders": "For administrators", "nav_professionals": "For professionals",
        "nav_bewoners": "For residents", "nav_lacunes": "What is not measured yet",
        "title_index": "Monitoring report", "title_bestuurders": "The 12 goals: where do we stand?",
        "title_professionals": "Assumptions, mechanisms and evidence",
        "title_bewoners": "What people say about the neighbourhood", "title_lacunes": "What is not measured yet",
        "lead_index": "This report shows what the residents, professionals and administrators interviewed think "
                      "works in the neighbourhood, and what the figures say. Pick the page that suits you.",
        "for_bestuurders": "The mission and the 12 goals: how their indicators stand against the national "
                           "average, and how they moved since the baseline.",
        "for_professionals": "The assumptions voiced most often, with quotes and where they were said, the "
                             "mechanisms of interventions, and what is not measured yet.",
        "for_bewoners": "In plain words: what people say, what we keep track of and what not yet.",
        "for_lacunes": "The full list of assumptions not measured or measured at one end only, and of "
                       "intervention steps and mechanisms without an indicator.",
        "glance": "At a glance",
        "glance_no_claims": "No coded interviews have been processed yet.",
        "glance_no_figures": "No figures have been processed yet, so for none of the {goals} goals is it known how "
                             "they moved since the baseline.",
        "no_figures": "The build holds no figures yet: add observations to indicators/observations.csv "
                      "(verlicht indicators import or fetch-cbs) and run verlicht build again.",
        "no_assumptions": "No assumptions yet: code interviews in interviews/ and run verlicht build.",
        "glance_claims": "{respondents} {voice} {assumptions}; {unmeasured} of them no indicator measures yet, "
                         "{partial} only at one end.",
        "glance_goals": "Since the baseline {up} of the {goals} goals moved mostly the right way, {down} the wrong "
                        "way and {mixed} both ways; for {unknown} it is not known yet.",
        "built_from": "Made from the build of workspace", "footer": "Made with VERLICHT (Open Universiteit) "
        "from the last build. All quotes are anonymised.",
        "counts": "{sources} · {respondents} · {assumptions} · {indicators}",
        "n_sources": ("interview", "interviews"), "n_respondents": ("person interviewed", "people interviewed"),
        "n_assumptions": ("assumption", "assumptions"), "n_indicators": ("indicator", "indicators"),
        "n_voice": ("voices", "voice"),
        "mission": "Mission", "goal": "Goal", "theme": "Theme",
        "area": "Area", "unit": "unit", "baseline": "baseline", "latest": "latest",
        "reference": "reference", "gap": "gap", "standing": "standing", "since_baseline": "since baseline",
        "trend": "trend per year", "indicator": "Indicator",
        "better": "better", "worse": "worse", "level": "level", "not judged": "not judged",
        "no_reference": "no reference", "no_data": "no data", "not_judged": "not judged",
        "improved": "improved", "worsened": "worsened", "unchanged": "unchanged",
        "goal_summary": "{with_data} of {indicators} indicators with data: {better} better than the reference, "
                        "{level} level, {worse} worse; since the baseline {improved} improved and "
                        "{worsened} worsened.",
        "goal_bar": "Standing of the indicators of goal {number}",
        "no_indicators": "No indicator tracks this goal yet.",
        "chart_desc": "{area}: {first} ({first_period}) to {last} ({last_period}).",
        "chart_desc_ref": " {ref}: {value} ({period}).",
        "chart_none": "No data yet.",
        "table_caption": "Indicators of goal {number}, {area} against the reference",
        "about_charts": "Per indicator: the line of {area} (solid, dots) against the reference (dashed, "
                        "squares), with the baseline as a dotted line. The table below gives the same figures.",
        "overview": "The goals at a glance",
        "overview_caption": "The 12 goals: standing of their indicators",
        "assumptions": "Assumptions with the most support", "cause": "cause", "effect": "effect",
        "polarity": "direction", "support": "support", "holders": "who", "coverage": "coverage",
        "contested": "contested", "quotes": "Quotes", "pol_+": "strengthens", "pol_-": "weakens",
        "pol_?": "affects",
        "cov_tested": "tested", "cov_measurable": "measurable", "cov_partial": "partial",
        "cov_unmeasured": "unmeasured",
        "assumptions_lead": "{shown} of the {total} assumptions, by support (the number of people interviewed "
                            "who voice it). Coverage: tested (an indicator tests the assumption), measurable "
                            "(cause and effect measured), partial (one end) or unmeasured.",
        "assumptions_more": "The other {more}: verlicht query assumptions.",
        "coverage_summary": "Coverage of all assumptions",
        "group_bewoner": "resident", "group_professional": "professional", "group_bestuurder": "administrator",
        "group_onbekend": "unknown",
        "mechanisms": "Mechanisms of interventions", "stage": "stage", "step": "step",
        "measured_by": "measured by", "arrow": "from → to", "mechanism": "mechanism",
        "no_logic": "This workspace has no logic models yet (logic/*.yaml).",
        "literature": "Literature", "finding": "finding", "study": "study", "about": "about",
        "rel_SUPPORTS": "supports", "rel_CONTRADICTS": "contradicts", "rel_MIXED": "mixed",
        "unmeasured": "What is not measured yet",
        "unmeasured_lead": "{assumptions} assumptions are not measured or measured at one end only; {steps} "
                           "intervention steps and {mechanisms} mechanisms have no indicator yet. The most "
                           "important:",
        "full_list": "The full list",
        "gaps_assumptions": "Assumptions not measured or measured at one end only",
        "gaps_steps": "Intervention steps without an indicator",
        "gaps_mechanisms": "Mechanisms without an indicator", "goals": "goals", "distance": "distance",
        "intervention": "intervention", "none": "None.",
        "gaps_lead": "What people interviewed raise but nothing measures yet, most important first: what reaches "
                     "a goal, then by support and distance to the goal (as verlicht gaps).",
        "res_lead": "Researchers of the Open Universiteit talk with people from {area}: residents, people who work "
                    "there and people from the council. They ask what goes well and what could be better. Here "
                    "you can read what people told us, and what we keep track of.",
        "res_people": "We spoke with {n} people.", "res_person": "We spoke with 1 person.",
        "res_said": "What people say",
        "res_said_lead": "These are things people often mention. They say that one thing affects another: when "
                         "there is more of one, there is more (or less) of the other.",
        "res_claim_+": "More {cause} means more {effect}.", "res_claim_-": "More {cause} means less {effect}.",
        "res_claim_?": "{Cause} and {effect} go together.",
        "res_times": "{n} people say this.", "res_time": "1 person says this.",
        "res_quote_by": "A resident", "res_quote_other": "Someone who works in the neighbourhood",
        "res_quote_admin": "Someone from the council or an organisation",
        "res_tracked": "What we keep track of",
        "res_tracked_lead": "The programme has 12 goals. For each goal we keep track of figures{where}, and we look "
                            "at whether things are better than at the start{since}.",
        "res_where": " for {area}", "res_since": ", in {year}",
        "res_tracked_none": "The programme has 12 goals. No figures{where} have been processed yet.",
        "res_counts": "What we count:", "res_nothing": "We do not count anything for this yet.",
        "res_figures": "We keep {n} figures on this.", "res_figure": "We keep 1 figure on this.",
        "res_up": "Going the right way", "res_down": "Going the wrong way",
        "res_mixed": "Partly better, partly worse", "res_unknown": "We do not know yet",
        "res_open": "What we do not keep track of yet",
        "res_open_lead": "People often talk about these things. But we do not keep figures on them yet.",
        "res_open_item": "{label}: {n} people talk about it.", "res_open_one": "{label}: 1 person talks about it.",
        "res_nobody": "No conversations have been processed yet.",
        "res_footer": "All names and other details that could identify someone have been removed.",
    },
}


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("verlicht", "templates/report"), autoescape=select_autoescape(["html"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["num"] = charts.number
    return env


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise QueryError(f"unknown language '{lang}'", None, f"use one of: {', '.join(LANGS)}")
    return lang


def _count(t: dict[str, Any], thing: str, n: int) -> str:
    """``n`` and the word for ``thing`` in the page's language, singular for 1.

    >>> _count(TEXT["nl"], "assumptions", 1), _count(TEXT["nl"], "assumptions", 0), _count(TEXT["en"], "respondents", 2)
    ('1 aanname', '0 aannames', '2 people interviewed')
    """
    return f"{n} {t['n_' + thing][n != 1]}"


def _lower_first(text: str) -> str:
    """'Sociale cohesie' → 'sociale cohesie' for use inside a sentence (not 'GGD' or 'POVH'); an opening
    bracket is looked past.

    >>> _lower_first("Sociale cohesie"), _lower_first("(Heel) veel stress"), _lower_first("GGD-monitor")
    ('sociale cohesie', '(heel) veel stress', 'GGD-monitor')
    """
    i = 1 if text.startswith("(") else 0
    if len(text) > i + 1 and text[i].isupper() and not text[i + 1].isupper():
        return text[:i] + text[i].lower() + text[i + 1:]
    return text


def _plain(text: str, lang: str) -> bool:
    """True when ``text`` holds none of the residents' page's forbidden words."""
    folded = text.casefold()
    return not any(word in folded for word in JARGON[lang])


# -- gathering the data -------------------------------------------------------------------------------------------
class _Quotes:
    """Quotes behind assumptions, read from the build's provenance only."""

    def __init__(self, ws: Workspace):
        self.graph = ws.graph
        self.prov = Provenance(ws.layout.graphs)

    def of(self, assumption: str, limit: int, groups: tuple[str, ...] | None = None) -> list[dict[str, Any]]:
        """Up to ``limit`` quotes, one per respondent first (in source and line order), from ``groups``."""
        rows = self.prov.evidence(assumption)
        chosen: list[list[Any]] = []
        seen: set[str] = set()
        for row in rows:
            who = self.graph.nodes.get(row[3], {})
            if groups and who.get("group") not in groups:
                continue
            if row[3] not in seen:
                seen.add(row[3])
                chosen.append(row)
            if len(chosen) == limit:
                break
        quotes = []
        for path, _line, uid, respondent in chosen:
            utterance = self.prov.utterance(path, uid)
            who = self.graph.nodes.get(respondent, {})
            quotes.append({"text": utterance["text"], "source": path, "line": utterance["line"],
                           "respondent": who.get("case", respondent.split(":", 1)[-1]),
                           "group": who.get("group", "onbekend")})
        return quotes


def _reference_series(status: Callable[[str], list[dict[str, Any]]],
                      rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per indicator, the status row of its reference series (``bijstand@nederland``), when there is one;
    ``status(area)`` gives the status rows of an area."""
    wanted: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for row in rows:
        if row["reference"] and "@" in row["reference"]:
            indicator, area = row["reference"].split("@", 1)
            wanted[area].append((row["indicator"], indicator))
    found = {}
    for area in sorted(wanted):
        try:
            by_id = {r["indicator"]: r for r in status(area)}
        except VerlichtError:  # a reference area the catalogue does not know: no line to draw
            continue
        for own, reference in wanted[area]:
            if reference in by_id:
                found[own] = by_id[reference]
    return found


def built_status_inputs(ws: Workspace) -> tuple[Catalogue, dict[str, Indicator], list[Observation]]:
    """The catalogue (goals, themes, areas) of the workspace, and the indicators and observations *as built*.

    ``verlicht indicators status`` reads the indicator files; the report reads the build's Indicator and
    Observation nodes instead, so its figures are the build's as its quotes are (the same rows whenever the
    build is current). Indicators keep the catalogue file's order (the monitoring report's), then any others.
    """
    override = ws.layout.ontology / "catalogue.yaml"
    catalogue = workspace_catalogue(override, ws.layout.shown(override))
    graph = ws.graph
    built = {d["key"]: d for d in graph.of_kind("Indicator")}
    try:  # only the order of the ids: everything else comes from the build
        with (ws.layout.indicators / "indicators.csv").open(encoding="utf-8-sig", newline="") as file:
            order = [row[0].strip() for row in list(csv.reader(file))[1:] if row]
    except (OSError, UnicodeDecodeError, csv.Error):
        order = []
    keys = [k for k in dict.fromkeys(order) if k in built] + sorted(set(built) - set(order))
    indicators = {}
    for key in keys:
        d = built[key]
        reference, _, area = (d.get("reference") or "").partition("@")
        indicators[key] = Indicator(
            id=key, label=d.get("label", key), unit=d.get("unit", ""), source=d.get("publisher", ""),
            measures=tuple(d.get("measures", ())),
            tests=tuple(tuple(t.split("->", 1)) for t in d.get("tests", ())),  # type: ignore[misc]
            goals=tuple(d.get("goals", ())), path=ws.layout.shown(ws.layout.graph_file), line=0,
            definition=d.get("definition", ""), direction=d.get("direction") or DEFAULT_DIRECTION,
            cbs_table=d.get("cbs_table", ""), cbs_measure=d.get("cbs_measure", ""),
            reference_indicator=reference, reference_area=area,
            baseline=d.get("baseline") or DEFAULT_BASELINE, themes=tuple(d.get("themes", ())))
    observations = [Observation(d["indicator"], d["area"], str(d["period"]), float(d["value"]),
                                ws.layout.shown(ws.layout.graph_file), 0)
                    for d in graph.of_kind("Observation") if d.get("value") is not None]
    return catalogue, indicators, observations


def _goals_context(ws: Workspace, area: str, lang: str) -> dict[str, Any]:
    t = TEXT[lang]
    # The rows of Workspace.indicator_status and goal_status, computed by the same functions from what the build holds.
    catalogue, catalogued, observations = built_status_inputs(ws)

    def status(where: str) -> list[dict[str, Any]]:
        return status_rows(catalogued, observations, catalogue, where)

    rows = status(area)
    by_id = {r["indicator"]: r for r in rows}
    references = _reference_series(status, rows)
    goal_rows = status_goal_rows(catalogued, observations, catalogue, area, lang)
    area_label = rows[0]["area_label"] if rows else (goal_rows[0]["area_label"] if goal_rows else area)
    mission = next((g["text"] for g in ws.goals(lang=lang) if g["scope"] == "mission"), "")
    themes: list[dict[str, Any]] = []
    for g in goal_rows:
        if g["scope"] == "theme":
            themes.append({"id": g["id"], "label": g["text"], "goals": []})
            continue
        number = int(g["id"])
        indicators = []
        for ident in g["indicator_ids"]:
            row = by_id[ident]
            ref = references.get(ident)
            ref_label = ref["area_label"] if ref else ""
            desc = t["chart_none"]
            if row["series"]:
                first, last = row["series"][0], row["series"][-1]
                desc = t["chart_desc"].format(area=area_label, first=charts.number(first[1], lang),
                                              first_period=first[0], last=charts.number(last[1], lang),
                                              last_period=last[0])
                if row["reference_value"] is not None:
                    desc += t["chart_desc_ref"].format(ref=ref_label, value=charts.number(row["reference_value"], lang),
                                                       period=row["latest_period"])
            chart = None
            if row["series"]:
                chart = Markup(charts.line_chart(
                    row["series"], ref["series"] if ref else [], row["baseline_date"],
                    title=f"{row['label']} ({row['unit']})" if row["unit"] else row["label"], desc=desc,
                    area_label=area_label, reference_label=ref_label, baseline_label=t["baseline"], lang=lang,
                    ident=f"chart-{number}-{ident}"))
            indicators.append({**row, "chart": chart, "desc": desc, "reference_label": ref_label})
        segments = [(kind, g[kind], t[kind]) for kind in ("better", "level", "worse", "not_judged", "no_reference",
                                                           "no_data")]
        summary = t["goal_summary"].format(**g)
        bar = Markup(charts.status_bar(segments, t["goal_bar"].format(number=number), summary,
                                       ident=f"bar-{number}"))
        themes[-1]["goals"].append({**g, "number": number, "indicators": indicators, "summary": summary,
                                    "bar": bar, "segments": segments,
                                    "verdict": _verdict(g), "with_chart": [i for i in indicators if i["chart"]]})
    # The interviews are the programme's (its area is the catalogue's default); --area picks only the figures.
    home = catalogue.areas[DEFAULT_AREA].label if DEFAULT_AREA in catalogue.areas else area_label
    return {"themes": themes, "mission": mission, "area_label": area_label, "status_rows": rows,
            "programme_label": home, "other_area": area != DEFAULT_AREA}


def _verdict(goal: dict[str, Any]) -> str:
    """How a goal moved since the baseline, in the residents' words: the key of a ``res_*`` text."""
    improved, worsened = goal["improved"], goal["worsened"]
    if improved == worsened == 0:
        return "res_unknown"
    if improved and worsened:
        return "res_up" if improved > 2 * worsened else "res_down" if worsened > 2 * improved else "res_mixed"
    return "res_up" if improved else "res_down"


def _holders_text(holders: dict[str, list[str]], lang: str) -> list[tuple[str, list[str]]]:
    t = TEXT[lang]
    return [(t.get(f"group_{g}", g), cases) for g, cases in holders.items() if cases]


def _logic_context(ws: Workspace, lang: str) -> list[dict[str, Any]]:
    """Per intervention: its steps (stage order) and the mechanisms under its arrows, with what measures them."""
    graph = ws.graph
    steps = queries.gaps(graph, all=True, lang=lang, kind="steps")
    mechanisms = queries.gaps(graph, all=True, lang=lang, kind="mechanisms")
    text = {r["id"]: r["text"] for r in steps}
    by: dict[str, dict[str, Any]] = {}
    for d in graph.of_kind("Intervention"):
        by[d["key"]] = {"key": d["key"], "label": d.get(f"label_{lang}") or d.get("label_nl") or d["key"],
                        "description": d.get("description", ""), "file": d["path"], "steps": [], "mechanisms": []}
    for row in steps:
        by[row["intervention"]]["steps"].append(row)
    for row in mechanisms:
        intervention = row["intervention"]
        row = {**row, "from_text": text.get(f"step:{intervention}/{row['from_step']}", row["from_step"]),
               "to_text": text.get(f"step:{intervention}/{row['to_step']}", row["to_step"])}
        by[intervention]["mechanisms"].append(row)
    return [by[k] for k in sorted(by)]


def _finding_text(node: dict[str, Any], lang: str) -> str:
    for key in (f"text_{lang}", "text", f"label_{lang}", "label", "summary", "statement", "key"):
        if node.get(key):
            return str(node[key])
    return node["id"]


def _literature_context(ws: Workspace, lang: str) -> list[dict[str, Any]]:
    """Review findings that support, contradict or give mixed evidence on assumptions and concepts (optional).

    Read from the graph as ARCHITECTURE.md describes it: Finding -SUPPORTS|CONTRADICTS|MIXED-> Assumption or
    Concept, Study -REPORTS-> Finding. Empty when the graph holds no reviews.
    """
    graph = ws.graph
    labels = {d["id"]: d.get(f"label_{lang}") or d["code"] for d in graph.of_kind("Concept")}
    rows = []
    for kind in ("SUPPORTS", "CONTRADICTS", "MIXED"):
        for edge in graph.edges_of(kind):
            finding = graph.nodes.get(edge["source"])
            target = graph.nodes.get(edge["target"])
            if not finding or not target:
                continue
            if target["kind"] == "Assumption":
                about = (f"{labels.get('concept:' + target['cause'], target['cause'])} → "
                         f"{labels.get('concept:' + target['effect'], target['effect'])} ({target['polarity']})")
            else:
                about = labels.get(target["id"], target["id"])
            studies = sorted(_finding_text(graph.nodes[e["source"]], lang)
                             for e in graph.incoming(finding["id"], "REPORTS") if e["source"] in graph)
            rows.append({"finding": _finding_text(finding, lang), "relation": kind, "about": about,
                         "target": target["id"], "studies": studies})
    return sorted(rows, key=lambda r: (r["target"], r["relation"], r["finding"]))


def _resident_context(ws: Workspace, assumptions: list[dict[str, Any]], quotes: _Quotes, goals: dict[str, Any],
                      lang: str) -> dict[str, Any]:
    """The residents' page: claims residents hold (or, without residents, anyone), tracked goals, open topics."""
    t = TEXT[lang]
    graph = ws.graph
    held = [a for a in assumptions if a["holders"].get("bewoner")]
    groups: tuple[str, ...] | None = ("bewoner",)
    if not held:
        held, groups = list(assumptions), None
    # Most people first, as the page says ("n mensen zeggen dit"); then those more residents hold.
    held.sort(key=lambda a: (-a["support"], -len(a["holders"].get("bewoner", ())), a["id"]))
    claims = []
    for a in held:  # a claim or quote that would bring jargon onto the page (a concept's label) is left out
        sentence = t[f"res_claim_{a['polarity']}"].format(Cause=a["cause_label"], cause=_lower_first(a["cause_label"]),
                                                          effect=_lower_first(a["effect_label"]))
        if not _plain(sentence, lang):
            continue
        said = [q for q in quotes.of(a["id"], 4, groups) if _plain(q["text"], lang)][:2]
        people = a["support"]
        claims.append({"sentence": sentence, "people": people,
                       "times": t["res_time"] if people == 1 else t["res_times"].format(n=people), "quotes": said})
        if len(claims) == RESIDENT_CLAIMS:
            break
    # What is counted is named by the concepts the indicators measure (codebook labels, in ``lang``), never
    # by the indicators' own labels: those are the statistics office's table names ("Aantal woningen naar
    # type, WOZ, bouwjaar ...", "HL-N t.o.v. benchmarkgebieden"), in Dutch only, so jargon on this page.
    measured_concepts: dict[str, list[str]] = defaultdict(list)  # indicator key -> labels of what it measures
    concept_label = {d["code"]: d.get(f"label_{lang}") or d["code"] for d in graph.of_kind("Concept")}
    for edge in graph.edges_of("MEASURES"):
        measured_concepts[edge["source"].split(":", 1)[1]].append(concept_label.get(edge["target"].split(":", 1)[1],
                                                                                     edge["target"]))
    tracked = []
    for theme in goals["themes"]:
        items = []
        for goal in theme["goals"]:
            counted: list[str] = []
            for ident in goal["indicator_ids"]:
                for name in measured_concepts.get(ident, ()):
                    if name and _plain(name, lang) and name not in counted:
                        counted.append(name)
            figures = len(goal["indicator_ids"])
            items.append({"number": goal["number"], "short": goal["short"], "text": goal["text"],
                          "verdict": t[goal["verdict"]], "verdict_key": goal["verdict"],
                          "counted": [_lower_first(c) for c in counted[:MEASURED_SHOWN]],
                          "figures": "" if counted or not figures else
                          t["res_figure"] if figures == 1 else t["res_figures"].format(n=figures)})
        tracked.append({"label": theme["label"], "goals": items})
    # Concepts nothing measures, by how many (resident) holders talk about them.
    measured = {edge["target"].split(":", 1)[1] for edge in graph.edges_of("MEASURES")}
    people: dict[str, set[str]] = defaultdict(set)
    for a in assumptions:
        residents = a["holders"].get("bewoner", []) if groups else [c for v in a["holders"].values() for c in v]
        for code in (a["cause"], a["effect"]):
            if code not in measured and residents:
                people[code].update(residents)
    open_topics = [{"label": concept_label.get(code, code), "n": len(who)}
                   for code, who in sorted(people.items(), key=lambda kv: (-len(kv[1]), kv[0]))
                   if _plain(concept_label.get(code, code), lang)][:RESIDENT_OPEN]
    spoken = sum(1 for d in graph.of_kind("Respondent") if d["group"] in GROUPS)
    people_text = "" if not spoken else t["res_person"] if spoken == 1 else t["res_people"].format(n=spoken)
    # The baseline year comes from the indicators (all share one in the monitor); none is named when they differ.
    rows = goals["status_rows"]
    years = {str(row["baseline_date"])[:4] for row in rows}
    since = t["res_since"].format(year=years.pop()) if len(years) == 1 else ""
    where = t["res_where"].format(area=goals["area_label"]) if goals["other_area"] else ""
    figures = any(row["series"] for row in rows)
    lead = (t["res_tracked_lead"] if figures else t["res_tracked_none"]).format(since=since, where=where)
    return {"claims": claims, "tracked": tracked, "open": open_topics, "people": spoken, "people_text": people_text,
            "tracked_lead": lead, "lead": t["res_lead"].format(area=goals["programme_label"])}


def report_context(ws: Workspace, lang: str = "nl", area: str = "heerlen_noord") -> dict[str, Any]:
    """Everything the five pages show, as plain data (the templates only lay it out)."""
    lang = _check_lang(lang)
    t = TEXT[lang]
    graph = ws.graph
    quotes = _Quotes(ws)
    assumptions = ws.assumptions(lang=lang)
    top = []
    for a in assumptions[:TOP_ASSUMPTIONS]:
        top.append({**a, "holders_text": _holders_text(a["holders"], lang),
                    "quotes": quotes.of(a["id"], QUOTES_PER_CLAIM)})
    coverage = Counter(a["coverage"] for a in assumptions)
    gaps = ws.gaps(lang=lang)
    gap_kinds: dict[str, list[dict[str, Any]]] = {"assumption": [], "step": [], "mechanism": []}
    for row in gaps:
        gap_kinds[row["kind"]].append(row)
    for row in gap_kinds["assumption"]:
        row["holders_text"] = _holders_text(row["holders"], lang)
    goals = _goals_context(ws, area, lang)
    counts = graph.header.get("counts", {})
    respondents = sum(1 for d in graph.of_kind("Respondent") if d["group"] != "interviewer")
    site = {"name": graph.header.get("workspace") or ws.name, "area_label": goals["area_label"],
            "counts": t["counts"].format(sources=_count(t, "sources", counts.get("sources", 0)),
                                         respondents=_count(t, "respondents", respondents),
                                         assumptions=_count(t, "assumptions", counts.get("assumptions", 0)),
                                         indicators=_count(t, "indicators", counts.get("indicators", 0)))}
    verdicts = Counter(g["verdict"] for theme in goals["themes"] for g in theme["goals"])
    figures = any(row["series"] for row in goals["status_rows"])
    glance = [t["glance_claims"].format(respondents=_count(t, "respondents", respondents),
                                        voice=t["n_voice"][respondents != 1],
                                        assumptions=_count(t, "assumptions", len(assumptions)),
                                        unmeasured=coverage.get("unmeasured", 0), partial=coverage.get("partial", 0))
              if assumptions else t["glance_no_claims"],
              t["glance_goals"].format(up=verdicts["res_up"], down=verdicts["res_down"], mixed=verdicts["res_mixed"],
                                       unknown=verdicts["res_unknown"], goals=sum(verdicts.values()))
              if figures else t["glance_no_figures"].format(goals=sum(verdicts.values()))]
    return {
        "glance": glance,
        "lang": lang, "t": t, "site": site, "data_lang": ws.layout.config.language or "nl",
        "pages": [{"key": p.key, "file": p.file, "nav": t[f"nav_{p.key}"], "title": t[f"title_{p.key}"],
                   "about": t.get(f"for_{p.key}", "")} for p in PAGES],
        "goals": goals, "figures": figures,
        "assumptions": top, "assumption_total": len(assumptions),
        "coverage": [(c, coverage.get(c, 0), t[f"cov_{c}"]) for c in queries.COVERAGES],
        "logic": _logic_context(ws, lang),
        "literature": _literature_context(ws, lang),
        "gaps": gap_kinds,
        "residents": _resident_context(ws, assumptions, quotes, goals, lang),
    }


def render_report(ws: Workspace, lang: str = "nl", area: str = "heerlen_noord") -> dict[str, str]:
    """The five pages as HTML text, by file name."""
    context = report_context(ws, lang, area)
    env = _environment()
    pages = {}
    for page in PAGES:
        current = next(p for p in context["pages"] if p["key"] == page.key)
        html = env.get_template(f"{page.key}.html").render(**context, page=current)
        pages[page.file] = _tidy(html)
    return pages


def _tidy(html: str) -> str:
    """Blank lines out, one newline at the end (templates leave gaps where blocks were skipped)."""
    return re.sub(r"\n\s*\n+", "\n", html).strip() + "\n"


def write_report(ws: Workspace, out: Path | None = None, lang: str = "nl",
                 area: str = "heerlen_noord") -> list[dict[str, Any]]:
    """Write the pages to ``out`` (default ``graphs/report/``), all or nothing; one row per page written."""
    folder = Path(out) if out is not None else ws.layout.graphs / "report"
    if folder.exists() and not folder.is_dir():
        raise QueryError(f"{folder} is a file, not a folder", None, "give --out a folder for the report's pages")
    pages = render_report(ws, lang, area)
    files = {folder / name: html.encode("utf-8") for name, html in pages.items()}
    replace_all(files)
    t = TEXT[lang]
    rows = []
    for page in PAGES:
        path = folder / page.file
        rows.append({"page": page.key, "title": t[f"title_{page.key}"], "path": _shown(ws, path),
                     "bytes": len(files[path])})
    return rows


def _shown(ws: Workspace, path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ws.root.resolve()))
    except ValueError:
        return str(path)
