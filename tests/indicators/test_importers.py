"""Observation importers: project CSV, CBS OData v3 and v4 JSON, StatLine CSV; mapping, merge and the command."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from helpers import run
from hypothesis import given, settings
from hypothesis import strategies as st

from verlicht.errors import IndicatorError
from verlicht.indicators.importers.csvfiles import cbs_number, read_cbs_csv
from verlicht.indicators.importers.mapping import load_mapping
from verlicht.indicators.importers.merge import Context, apply, load_context, read_files, scaled_unit
from verlicht.indicators.importers.periods import cbs_period, statline_period
from verlicht.indicators.regions import load_builtin_regions, normalise_code
from verlicht.programme import load_catalogue
from verlicht.workspace import init_workspace, open_layout

CBS = Path(__file__).parent.parent / "data" / "cbs"
BAD = CBS / "bad"
INDICATORS = {"inwoners", "woz_waarde", "bijstand"}
AREAS = set(load_catalogue().areas)


def context(mapping: Path | None = CBS / "cbs_mapping.toml") -> Context:
    loaded = load_mapping(mapping, mapping.name if mapping else "", INDICATORS, AREAS)
    return Context(INDICATORS, AREAS, loaded, loaded.region_table(load_builtin_regions()), [], None, "o.csv")


def imported(*names: str, mapping: Path | None = CBS / "cbs_mapping.toml", fmt: str = "auto"):
    files = [(CBS / name, name) for name in names]
    return apply(context(mapping), read_files(files, fmt), dry_run=True)


def values(report) -> list[tuple]:
    return [(v.indicator, v.area, v.period, v.value, v.unit) for v in report.values]


def warnings(report) -> list[str]:
    return [str(w) for w in report.warnings]


# -- the importers on their fixtures ------------------------------------------------------------------------

def test_odata3_typed_dataset_with_its_data_properties_gives_areas_periods_values_and_units():
    report = imported("85618NED_TypedDataSet.json", "85618NED_DataProperties.json")
    assert values(report) == [
        ("inwoners", "heerlen", "2023", 86762.0, "aantal"),
        ("inwoners", "kasteelbuurt_hoofdstraat_west", "2023", 4175.0, "aantal"),
        ("inwoners", "nederland", "2023", 17811291.0, "aantal"),
        ("woz_waarde", "heerlen", "2023", 198000.0, "euro"),  # 'x 1 000 euro' times scale 1000
        ("woz_waarde", "nederland", "2023", 371000.0, "euro"),
    ]
    assert report.values[0].source == "85618NED/AantalInwoners_5"
    assert warnings(report) == [
        "85618NED_TypedDataSet.json:7:7: warning: record 2 (ID 3151): no figure for woz_waarde "
        "(GemiddeldeWOZWaardeVanWoningen_35) in WK091710, 2023: null; skipped",
        "85618NED_TypedDataSet.json:9:7: warning: region 'BU09171001' is not in the region mapping: 2 figure(s) "
        "skipped — add it to [regions] in indicators/cbs_mapping.toml: BU09171001 = \"<area id>\"",
    ]
    assert dict(report.skipped_total()) == {"missing": 1, "unknown_region": 2}


def test_odata3_metadata_may_come_before_the_data():
    first = imported("85618NED_DataProperties.json", "85618NED_TypedDataSet.json")
    assert values(first) == values(imported("85618NED_TypedDataSet.json", "85618NED_DataProperties.json"))


def test_odata3_cbsodata_download_reads_padded_untyped_text_and_dot_as_missing():
    report = imported("70072ned_cbsodata.json")
    assert values(report) == [
        ("inwoners", "heerlen", "2022", 86762.0, "aantal"),
        ("inwoners", "nederland", "2022", 17590672.0, "aantal"),
        ("inwoners", "nederland", "2023", 17811291.0, "aantal"),
    ]
    assert warnings(report) == [
        "70072ned_cbsodata.json:87:3: warning: record 3 (ID 3): no figure for inwoners (TotaleBevolking_1) in "
        "GM0917, 2023JJ00: '         .'; skipped"]


def test_odata3_folder_saved_by_cbsodata_is_read(tmp_path):
    folder = tmp_path / "85618NED"
    folder.mkdir()
    for name in ("TypedDataSet", "DataProperties"):
        data = json.loads((CBS / f"85618NED_{name}.json").read_text(encoding="utf-8"))
        (folder / f"{name}.json").write_text(json.dumps(data["value"], indent=2), encoding="utf-8")
    report = apply(context(), read_files([(folder, "85618NED")]), dry_run=True)
    assert values(report) == values(imported("85618NED_TypedDataSet.json", "85618NED_DataProperties.json"))
    assert warnings(report)[0].startswith("85618NED/TypedDataSet.json:22:3: warning: record 2 (ID 3151)")


def test_odata4_observations_with_measure_codes_and_dimensions():
    report = imported("85618NED_v4_Observations.json", "85618NED_v4_MeasureCodes.json",
                      "85618NED_v4_Dimensions.json")
    assert values(report) == [
        ("inwoners", "heerlen", "2023", 86762.0, "aantal"),
        ("inwoners", "nederland", "2023", 17811291.0, "aantal"),
        ("woz_waarde", "heerlen", "2023", 198000.0, "euro"),
    ]
    assert warnings(report) == [
        "85618NED_v4_Observations.json:6:1: warning: record 4 (Id 4): no figure for inwoners (M000352) in "
        "WK091710, 2023JJ00: null, ValueAttribute Missing; skipped"]
    # Gemeentenaam (a StringValue) is a label, not an unmapped figure.
    assert dict(report.skipped_total()) == {"missing": 1}


def test_odata4_without_metadata_still_finds_region_and_period_columns():
    report = imported("85618NED_v4_Observations.json")
    assert ("inwoners", "heerlen", "2023", 86762.0, "") in values(report)


def test_statline_csv_of_wijken_reads_codes_bom_and_period_from_the_mapping():
    report = imported("kwb_2023_statline.csv")
    assert values(report) == [
        ("inwoners", "heerlen", "2023", 86762.0, "aantal"),
        ("inwoners", "kasteelbuurt_hoofdstraat_west", "2023", 4175.0, "aantal"),
        ("inwoners", "nederland", "2023", 17811291.0, "aantal"),
        ("woz_waarde", "heerlen", "2023", 198000.0, "euro"),
        ("woz_waarde", "nederland", "2023", 371000.0, "euro"),
    ]
    assert warnings(report)[0].startswith(
        "kwb_2023_statline.csv:4:75: warning: column 'Wonen/Gemiddelde WOZ-waarde van woningen (x 1 000 euro)': "
        "no figure for woz_waarde")
    assert warnings(report)[1].startswith("kwb_2023_statline.csv:5:45: warning: region 'BU09171001'")


def test_statline_csv_reads_decimal_comma_provisional_periods_titles_and_confidential_cells():
    report = imported("bijstand_regio_statline.csv")
    assert values(report) == [
        ("bijstand", "heerlen", "2022", 5.81, "per 1 000 inwoners ×0.1"),
        ("bijstand", "heerlen", "2023", 5.74, "per 1 000 inwoners ×0.1"),
        ("bijstand", "nederland", "2022", 2.46, "per 1 000 inwoners ×0.1"),
        ("bijstand", "nederland", "2023", 2.39, "per 1 000 inwoners ×0.1"),
    ]
    assert warnings(report) == [
        "bijstand_regio_statline.csv:6:30: warning: column 'Uitkeringsontvangers/Bijstand (per 1 000 inwoners)': "
        "no figure for bijstand (Uitkeringsontvangers/Bijstand (per 1 000 inwoners)) in GM0917, 2023 1e kwartaal: "
        "'x' (confidential); skipped"]


def test_project_csv_is_read_with_its_checks_as_warnings(tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text("indicator,area,period,value\ninwoners,heerlen,2023,\"86762\"\nbijstand,heerlen,2023,5,7\n"
                    "onbekend,heerlen,2023,1\ninwoners,atlantis,2023,1\ninwoners,heerlen,2022,veel\n",
                    encoding="utf-8")
    with pytest.raises(IndicatorError) as caught:  # '5,7' unquoted is a fifth field: the row is malformed
        apply(context(), read_files([(path, "obs.csv")]), dry_run=True)
    assert str(caught.value.location) == "obs.csv:3"
    path.write_text("indicator,area,period,value\ninwoners,heerlen,2023,86762\nbijstand,heerlen,2023,\"5,7\"\n"
                    "onbekend,heerlen,2023,1\ninwoners,atlantis,2023,1\ninwoners,heerlen,2022,veel\n",
                    encoding="utf-8")
    report = apply(context(), read_files([(path, "obs.csv")]), dry_run=True)
    assert values(report) == [("bijstand", "heerlen", "2023", 5.7, ""), ("inwoners", "heerlen", "2023", 86762.0, "")]
    assert [w.split(" — ")[0] for w in warnings(report)] == [
        "obs.csv:4: warning: unknown indicator 'onbekend': skipped",
        "obs.csv:5: warning: unknown area 'atlantis': skipped",
        "obs.csv:6: warning: no figure for inwoners in heerlen, 2022 ('veel'): skipped",
    ]


# -- malformed files: located errors and warnings ------------------------------------------------------------

@pytest.mark.parametrize("files, location, message", [
    (["bad/truncated_TypedDataSet.json", "85618NED_DataProperties.json"], "bad/truncated_TypedDataSet.json:8:11",
     "JSON does not parse: Expecting ':' delimiter"),
    (["85618NED_TypedDataSet.json"], "85618NED_TypedDataSet.json",
     "TypedDataSet 85618NED comes without DataProperties"),
    (["85618NED_TypedDataSet.json", "bad/DataProperties_not_a_list.json"], "bad/DataProperties_not_a_list.json:1:119",
     "DataProperties is not a list of records"),
    (["bad/DataProperties_not_a_list.json", "85618NED_TypedDataSet.json"], "bad/DataProperties_not_a_list.json:1:119",
     "DataProperties is not a list of records"),
    (["bad/record_not_object_TypedDataSet.json", "85618NED_DataProperties.json"],
     "bad/record_not_object_TypedDataSet.json:14:3", "TypedDataSet record 1 is not an object"),
    (["85618NED_DataProperties.json"], "85618NED_DataProperties.json", "holds CBS metadata but no figures"),
    (["bad/long_row_statline.csv"], "bad/long_row_statline.csv:3", "row has 4 fields, the header 3"),
])
def test_malformed_files_are_located_errors(files, location, message):
    with pytest.raises(IndicatorError) as caught:
        imported(*files)
    assert str(caught.value.location) == location
    assert message in caught.value.message


def test_a_fault_in_the_metadata_file_names_that_file_not_the_data_file(cbs_ws):
    code, _, err = run("indicators", "import", str(BAD / "DataProperties_not_a_list.json"),
                       str(CBS / "85618NED_TypedDataSet.json"), workspace=cbs_ws)
    assert code == 1
    assert err.startswith(f"error: {BAD / 'DataProperties_not_a_list.json'}:1:119: DataProperties is not a list")


def test_a_fault_in_one_file_of_a_cbsodata_folder_names_that_file(tmp_path):
    folder = tmp_path / "85618NED"
    folder.mkdir()
    shutil.copyfile(BAD / "DataProperties_not_a_list.json", folder / "DataProperties.json")
    data = json.loads((CBS / "85618NED_TypedDataSet.json").read_text(encoding="utf-8"))
    (folder / "TypedDataSet.json").write_text(json.dumps(data["value"], indent=2), encoding="utf-8")
    with pytest.raises(IndicatorError) as caught:
        apply(context(), read_files([(folder, "85618NED")]), dry_run=True)
    assert str(caught.value.location) == "85618NED/DataProperties.json:1:119"


def test_a_short_row_is_a_located_warning_and_counted_in_a_statline_csv_and_a_project_csv_alike(tmp_path):
    report = imported("bad/short_row_statline.csv")
    assert values(report) == [("bijstand", "heerlen", "2022", 5.81, "per 1 000 inwoners ×0.1")]
    assert warnings(report) == ["bad/short_row_statline.csv:3: warning: row has 2 field(s), the header 3: skipped — "
                                "download the table again, or fill in the row"]
    assert dict(report.skipped_total()) == {"short_row": 1}
    path = tmp_path / "obs.csv"
    path.write_text("indicator,area,period,value\ninwoners,heerlen,2023,86762\ninwoners,heerlen\n", encoding="utf-8")
    report = apply(context(), read_files([(path, "obs.csv")]), dry_run=True)
    assert values(report) == [("inwoners", "heerlen", "2023", 86762.0, "")]
    assert warnings(report) == ["obs.csv:3: warning: row has 2 field(s), the header 4: skipped — fill in the row or "
                                "remove it"]
    assert dict(report.skipped_total()) == {"short_row": 1}


@pytest.mark.parametrize("header, message, location", [
    ("indicator,area,jaar,value", "project CSV has column 'jaar' where 'period' belongs", "o.csv:1:16"),
    ("indicator,area,value", "project CSV lacks column(s) period", "o.csv:1"),
    ("Indicator,gebied,period,value", "project CSV lacks column(s) indicator, area; it has 'Indicator', 'gebied' "
     "instead", "o.csv:1:1"),
    ("indicator,area,period,value,area", "column 'area' appears twice", "o.csv:1"),
])
def test_a_nearly_project_header_is_a_project_csv_with_the_wrong_column_named(tmp_path, header, message, location):
    path = tmp_path / "o.csv"
    path.write_text(header + "\ninwoners,heerlen,2023,86762\n", encoding="utf-8")
    with pytest.raises(IndicatorError) as caught:
        read_files([(path, "o.csv")])
    assert caught.value.message == message
    assert str(caught.value.location) == location
    if "twice" not in message:
        assert caught.value.hint == "the header must be: indicator,area,period,value"


def test_a_project_csv_saved_with_semicolons_and_extra_columns_is_read(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text("indicator;area;period;value;bron\ninwoners;heerlen;2023;86762;CBS\nbijstand;heerlen;2023;5,7;\n",
                    encoding="utf-8")
    report = apply(context(), read_files([(path, "o.csv")]), dry_run=True)
    assert values(report) == [("bijstand", "heerlen", "2023", 5.7, ""), ("inwoners", "heerlen", "2023", 86762.0, "")]


@pytest.mark.parametrize("name, text", [
    ("README.md", "# Cijfers\n\nDe cijfers van Heerlen-Noord.\n"),
    ("waarden.csv", "value\n1\n2\n"),
    ("leeg.csv", ""),
    ("rommel.txt", "a,b\n1,2\n"),
])
def test_a_file_of_no_known_format_says_what_was_expected(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(IndicatorError) as caught:
        read_files([(path, name)])
    assert str(caught.value) == (
        f"cannot tell the format of {name} — expected a project CSV (indicator,area,period,value), a StatLine CSV "
        "download or CBS OData JSON; pass --format-in")


def test_missing_data_properties_hint_names_the_url():
    with pytest.raises(IndicatorError) as caught:
        imported("85618NED_TypedDataSet.json")
    assert "https://opendata.cbs.nl/ODataApi/odata/85618NED/DataProperties?$format=json" in caught.value.hint


def test_wrong_types_and_dot_in_typed_data_are_located_warnings():
    report = imported("bad/wrong_types_TypedDataSet.json", "85618NED_DataProperties.json")
    assert values(report) == [("inwoners", "heerlen", "2023", 86762.0, "aantal")]
    assert warnings(report) == [
        "bad/wrong_types_TypedDataSet.json:3:5: warning: record 0 (ID 0): no figure for inwoners (AantalInwoners_5)"
        " in NL00, 2023: 'veel'; skipped",
        "bad/wrong_types_TypedDataSet.json:3:5: warning: record 0 (ID 0): no figure for woz_waarde "
        "(GemiddeldeWOZWaardeVanWoningen_35) in NL00, 2023: true; skipped",
        "bad/wrong_types_TypedDataSet.json:4:5: warning: record 1 (ID 3140): no figure for woz_waarde "
        "(GemiddeldeWOZWaardeVanWoningen_35) in GM0917, 2023: '.'; skipped",
    ]
    assert dict(report.skipped_total()) == {"not_a_number": 2, "missing": 1}


# -- malformed OData v4 ---------------------------------------------------------------------------------------

V4_META = ("85618NED_v4_MeasureCodes.json", "85618NED_v4_Dimensions.json")


@pytest.mark.parametrize("files, location, message", [
    (["bad/v4_no_value_Observations.json", *V4_META], "bad/v4_no_value_Observations.json:1",
     "OData response for Observations without a 'value' array"),
    (["bad/v4_no_measure_Observations.json", *V4_META], "bad/v4_no_measure_Observations.json:3:1",
     "Observations record 1 has no Measure"),
    (["85618NED_v4_Observations.json", "bad/v4_MeasureCodes_no_identifier.json"],
     "bad/v4_MeasureCodes_no_identifier.json:3:1", "MeasureCodes record 1 has no Identifier"),
])
def test_malformed_odata4_files_are_located_errors(files, location, message):
    with pytest.raises(IndicatorError) as caught:
        imported(*files)
    assert str(caught.value.location) == location
    assert caught.value.message == message


def test_a_non_numeric_odata4_value_is_a_located_warning():
    report = imported("bad/v4_text_value_Observations.json", *V4_META)
    assert values(report) == [("inwoners", "nederland", "2023", 17811291.0, "aantal"),
                              ("woz_waarde", "heerlen", "2023", 198000.0, "euro")]
    assert warnings(report) == [
        "bad/v4_text_value_Observations.json:3:1: warning: record 1 (Id 2): no figure for inwoners (M000352) in "
        "GM0917, 2023JJ00: 'veel'; skipped"]
    assert dict(report.skipped_total()) == {"not_a_number": 1}


def test_an_odata4_measure_missing_from_the_measure_codes_is_named_where_it_first_occurs():
    report = imported("bad/v4_unknown_measure_Observations.json", *V4_META)
    assert values(report) == [("inwoners", "heerlen", "2023", 86762.0, "aantal"),
                              ("inwoners", "nederland", "2023", 17811291.0, "aantal")]
    assert warnings(report) == [
        "bad/v4_unknown_measure_Observations.json:4:1: warning: record 2: measure 'M009999' is not in the "
        "MeasureCodes (85618NED_v4_MeasureCodes.json): its 2 figure(s) have no title or unit — import the "
        "MeasureCodes of the same table",
        "bad/v4_unknown_measure_Observations.json:4:1: warning: 1 measure(s) not in the mapping, 2 figure(s) "
        "skipped: M009999 — map them to indicators in indicators/cbs_mapping.toml ([[measures]])"]
    assert dict(report.skipped_total()) == {"unknown_measure": 2}


def test_bad_period_code_and_conflicting_duplicate_are_warned_and_the_first_kept():
    report = imported("bad/bad_period_and_duplicate_cbsodata.json")
    assert values(report) == [("inwoners", "heerlen", "2023", 86762.0, "aantal")]
    assert [w.split(" — ")[0] for w in warnings(report)] == [
        "bad/bad_period_and_duplicate_cbsodata.json:46:3: warning: record 0 (ID 0): period '2023KW05' is not a "
        "CBS period; inwoners in GM0917 skipped",
        "bad/bad_period_and_duplicate_cbsodata.json:58:3: warning: record 2 (ID 2): second figure for inwoners in "
        "heerlen, 2023: 86900 here, 86762 at bad/bad_period_and_duplicate_cbsodata.json:52:3; the first is kept",
    ]
    assert dict(report.skipped_total()) == {"bad_period": 1, "duplicate": 1}


def test_duplicate_rows_and_text_in_a_statline_csv_are_located_warnings():
    report = imported("bad/duplicate_statline.csv")
    assert values(report) == [("bijstand", "heerlen", "2022", 5.81, "per 1 000 inwoners ×0.1")]
    assert [w.split(" — ")[0] for w in warnings(report)] == [
        "bad/duplicate_statline.csv:3:18: warning: column 'Uitkeringsontvangers/Bijstand (per 1 000 inwoners)': "
        "second figure for bijstand in heerlen, 2022: 5.83 here, 5.81 at bad/duplicate_statline.csv:2:18; the "
        "first is kept",
        "bad/duplicate_statline.csv:4:18: warning: column 'Uitkeringsontvangers/Bijstand (per 1 000 inwoners)': "
        "no figure for bijstand (Uitkeringsontvangers/Bijstand (per 1 000 inwoners)) in GM0917, 2023: 'veel'; "
        "skipped",
    ]


def test_a_duplicate_in_a_project_csv_says_keep_one_row_not_check_the_mapping(tmp_path):
    path = tmp_path / "obs.csv"
    path.write_text("indicator,area,period,value\ninwoners,heerlen,2023,86762\ninwoners,heerlen,2023,86900\n",
                    encoding="utf-8")
    report = apply(context(), read_files([(path, "obs.csv")]), dry_run=True)
    assert warnings(report) == [
        "obs.csv:3: warning: second figure for inwoners in heerlen, 2023: 86900 here, 86762 at obs.csv:2; the first "
        "is kept — keep one row per indicator, area and period"]
    assert dict(report.skipped_total()) == {"duplicate": 1}


def test_a_duplicate_cbs_figure_points_to_the_mapping():
    report = imported("bad/duplicate_statline.csv")
    assert warnings(report)[0].endswith(
        "— check the mapping: two measures or regions may feed the same indicator and area")


def test_unmapped_measures_are_counted_and_named_once_per_file():
    report = imported("85618NED_TypedDataSet.json", "85618NED_DataProperties.json", mapping=None)
    assert report.values == []
    assert warnings(report)[0] == (
        "85618NED_TypedDataSet.json:3:5: warning: 2 measure(s) not in the mapping, 8 figure(s) skipped: "
        "AantalInwoners_5, GemiddeldeWOZWaardeVanWoningen_35 — map them to indicators in "
        "indicators/cbs_mapping.toml ([[measures]])")
    assert report.to_rows()[-1]["reasons"] == {"unknown_measure": 8}


def test_an_unconfirmed_builtin_region_is_used_with_a_warning(tmp_path):
    mapping = tmp_path / "m.toml"
    mapping.write_text((CBS / "cbs_mapping.toml").read_text(encoding="utf-8").split("[regions]")[0], encoding="utf-8")
    report = imported("85618NED_TypedDataSet.json", "85618NED_DataProperties.json", mapping=mapping)
    assert ("inwoners", "kasteelbuurt_hoofdstraat_west", "2023", 4175.0, "aantal") in values(report)
    assert any("region WK091710 filed under 'kasteelbuurt_hoofdstraat_west' is not confirmed" in w
               for w in warnings(report))


def test_a_table_without_periods_needs_one_in_the_mapping(tmp_path):
    mapping = tmp_path / "m.toml"
    mapping.write_text('[[measures]]\nindicator = "inwoners"\nkey = "AantalInwoners_5"\n', encoding="utf-8")
    report = imported("85618NED_TypedDataSet.json", "85618NED_DataProperties.json", mapping=mapping)
    assert report.values == []
    assert any("85618NED has no period dimension: 3 figure(s) skipped" in w and "[tables.85618NED]" in w
               for w in warnings(report))


def _combined(tmp_path: Path, rows: list[dict], dims: list[dict] = ()) -> Path:
    """A small cbsodata download of an invented table 99999NED (for shapes the fixtures do not have)."""
    props = [{"odata.type": "Cbs.OData.GeoDimension", "ID": 0, "Type": "GeoDimension", "Key": "RegioS",
              "Title": "Regio's"},
             {"odata.type": "Cbs.OData.TimeDimension", "ID": 1, "Type": "TimeDimension", "Key": "Perioden",
              "Title": "Perioden"}, *dims,
             {"odata.type": "Cbs.OData.Topic", "ID": 9, "Type": "Topic", "Key": "Bijstand_1", "Title": "Bijstand",
              "Datatype": "Double", "Unit": "%", "Decimals": 1}]
    path = tmp_path / "99999NED.json"
    path.write_text(json.dumps({"TableInfos": [{"Identifier": "99999NED"}], "DataProperties": props,
                                "TypedDataSet": rows}, indent=1), encoding="utf-8")
    return path


def test_further_dimensions_are_chosen_with_where_and_otherwise_give_duplicates(tmp_path):
    sex = [{"odata.type": "Cbs.OData.Dimension", "ID": 2, "Type": "Dimension", "Key": "Geslacht",
            "Title": "Geslacht"}]
    rows = [{"ID": i, "RegioS": "GM0917    ", "Perioden": "2023JJ00", "Geslacht": code, "Bijstand_1": value}
            for i, (code, value) in enumerate([("T001038", 5.7), ("3000   ", 5.5), ("4000   ", 5.9)])]
    path = _combined(tmp_path, rows, sex)
    mapping = tmp_path / "m.toml"
    mapping.write_text('[[measures]]\nindicator = "bijstand"\ntable = "99999NED"\nkey = "Bijstand_1"\n'
                       'where = { Geslacht = "T001038" }\n', encoding="utf-8")
    report = apply(context(mapping), read_files([(path, "t.json")]), dry_run=True)
    assert values(report) == [("bijstand", "heerlen", "2023", 5.7, "%")]
    assert dict(report.skipped_total()) == {"unknown_measure": 2}  # the other sexes: not mapped
    mapping.write_text('[[measures]]\nindicator = "bijstand"\nkey = "Bijstand_1"\n', encoding="utf-8")
    report = apply(context(mapping), read_files([(path, "t.json")]), dry_run=True)
    assert dict(report.skipped_total()) == {"duplicate": 2}
    assert "second figure for bijstand in heerlen, 2023: 5.5 here, 5.7 at t.json:" in warnings(report)[0]


def test_many_unknown_regions_are_one_warning(tmp_path):
    rows = [{"ID": i, "RegioS": f"GM{i:04d}    ", "Perioden": "2023JJ00", "Bijstand_1": 1.0} for i in range(1, 40)]
    mapping = tmp_path / "m.toml"
    mapping.write_text('[[measures]]\nindicator = "bijstand"\nkey = "Bijstand_1"\n', encoding="utf-8")
    report = apply(context(mapping), read_files([(_combined(tmp_path, rows), "t.json")]), dry_run=True)
    assert warnings(report) == [
        "t.json:34:3: warning: 39 regions are not in the region mapping: 39 figure(s) skipped: GM0001, GM0002, "
        "GM0003, GM0004, GM0005, GM0006, GM0007, GM0008 … (31 more) — add the ones you need to [regions] in "
        "indicators/cbs_mapping.toml, or fetch only those (fetch-cbs --region)"]


# -- the mapping file ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, location, message", [
    ("mapping_unknown_indicator.toml", "m:5", "mapping names unknown indicator 'inwoners_per_wijk'"),
    ("mapping_unknown_area.toml", "m:3", "region WK091799 names unknown area 'atlantis'"),
    ("mapping_syntax.toml", "m:3:7", "mapping does not parse"),
])
def test_bad_mappings_are_located_errors(name, location, message):
    with pytest.raises(IndicatorError) as caught:
        load_mapping(BAD / name, "m", INDICATORS, AREAS)
    assert str(caught.value.location) == location
    assert message in caught.value.message


def test_a_mapping_syntax_error_points_to_the_documentation_not_to_source_code():
    with pytest.raises(IndicatorError) as caught:
        load_mapping(BAD / "mapping_syntax.toml", "m", INDICATORS, AREAS)
    assert "docs/CBS_IMPORT.md" in caught.value.hint
    assert ".py" not in caught.value.hint


def test_builtin_regions_name_real_areas_and_mark_unconfirmed_codes():
    regions = load_builtin_regions()
    assert {code: r.area for code, r in regions.codes.items()} == {
        "NL01": "nederland", "NL00": "nederland", "GM0917": "heerlen", "WK091710": "kasteelbuurt_hoofdstraat_west"}
    assert all(r.area in AREAS for r in regions.codes.values())
    assert not regions.get("WK091710  ").checked
    assert regions.by_title("heerlen").code == "GM0917"
    assert regions.by_title("Nederland").area == "nederland"  # NL00 and NL01: one area


# -- small parsers -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("code, period", [
    ("2023JJ00", "2023"), ("2023KW01", "2023Q1"), ("2023KW04", "2023Q4"), ("2023MM03", "2023-03"),
    ("2023MM12", "2023-12"), ("2023HJ02", "2023H2"), ("20230101", "2023-01-01"), ("2020G300", "2020G300"),
    ("2023KW05", None), ("2023MM13", None), ("2023JJ01", None), ("20230230", None), ("2023", None), ("", None),
])
def test_cbs_period_codes(code, period):
    assert cbs_period(code) == period


@pytest.mark.parametrize("title, period", [
    ("2023", "2023"), ("2023*", "2023"), ("2023**", "2023"), ("2023 1e kwartaal", "2023Q1"),
    ("2023 maart", "2023-03"), ("2023 March", "2023-03"), ("2023MM03", "2023-03"),
    ("1 januari 2023", "1 januari 2023"), ("totaal", None), ("", None),
])
def test_statline_period_titles(title, period):
    assert statline_period(title) == period


@pytest.mark.parametrize("text, value, reason", [
    ("12,5", 12.5, None), ("86762", 86762.0, None), ("17.811.291", 17811291.0, None), ("1.234,5", 1234.5, None),
    ("-3,2", -3.2, None), ("0.25", 0.25, None), ("57,4*", 57.4, None), ("-", 0.0, None),
    (".", None, "missing"), ("", None, "missing"), ("x", None, "missing"), ("veel", None, "not_a_number"),
    ("nan", None, "not_a_number"), ("1e400", None, "not_a_number"),
])
def test_cbs_numbers(text, value, reason):
    found, problem = cbs_number(text)
    assert found == value
    assert (problem[0] if problem else None) == reason


def test_scaled_units_drop_the_cbs_factor():
    assert scaled_unit("x 1 000 euro", 1000) == "euro"
    assert scaled_unit("aantal", 1) == "aantal"
    assert scaled_unit("per 1 000 inwoners", 0.1) == "per 1 000 inwoners ×0.1"


def test_region_keys_lose_their_padding():
    assert normalise_code("GM0917    ") == "GM0917"
    assert normalise_code(" bu09171001") == "BU09171001"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=12))
def test_period_parsers_never_raise(text):
    assert cbs_period(text) is None or isinstance(cbs_period(text), str)
    assert statline_period(text) is None or isinstance(statline_period(text), str)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=16))
def test_cbs_number_never_raises(text):
    value, problem = cbs_number(text)
    assert (value is None) == (problem is not None)


_cell = st.one_of(st.text(alphabet=list("0123456789,.;\"x-* \n\ra"), max_size=8),
                  st.sampled_from(["Heerlen", "GM0917", "2023", "2023*", '"58,1"', "."]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_cell, min_size=1, max_size=4), max_size=5), st.booleans())
def test_cbs_csv_reader_gives_figures_or_located_errors_never_a_traceback(tmp_path_factory, rows, bom):
    header = '"Regio\'s";"Perioden";"Uitkeringsontvangers/Bijstand (per 1 000 inwoners)"'
    text = header + "\r\n" + "\r\n".join(";".join(row) for row in rows)
    path = tmp_path_factory.mktemp("fuzz") / "f.csv"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    try:
        report = apply(context(), [read_cbs_csv(path, "f.csv")], dry_run=True)
    except IndicatorError as exc:
        assert exc.location is not None and exc.location.path == "f.csv"
        return
    assert all(v.indicator == "bijstand" for v in report.values)


_HEADS = st.sampled_from(["", "indicator,area,period,value\n", "indicator;area;jaar;value\n", "value\n",
                          "\"Regio's\";\"Perioden\";\"Uitkeringsontvangers/Bijstand (per 1 000 inwoners)\"\n"])


@settings(max_examples=200, deadline=None)
@given(_HEADS, st.text(alphabet=list("inwoners,heerlen;2023\"'.\n 0123456789x#"), max_size=60),
       st.sampled_from([".csv", ".txt", ""]))
def test_any_text_file_is_read_as_some_format_or_refused_with_a_message(tmp_path_factory, head, body, suffix):
    text = head + body
    path = tmp_path_factory.mktemp("fuzz") / f"f{suffix}"
    path.write_text(text, encoding="utf-8")
    try:
        report = apply(context(), read_files([(path, "f")]), dry_run=True)
    except IndicatorError as exc:
        assert exc.location is None or exc.location.path == "f"
        return
    assert all(v.indicator in INDICATORS for v in report.values)


_json_value = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) |
                           st.sampled_from(["GM0917    ", "2023JJ00", ".", "AantalInwoners_5", "Topic",
                                            "GeoDimension", "TimeDimension", "WijkenEnBuurten", "Perioden"]),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                               st.sampled_from(["ID", "Key", "Type", "Datatype", "WijkenEnBuurten", "Perioden",
                                                "AantalInwoners_5", "Measure", "Value", "Title"]), inner, max_size=4),
                           max_leaves=12)


@settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({"DataProperties": _json_value, "TypedDataSet": _json_value}),
       st.sampled_from(["odata3", "odata4", "auto"]))
def test_odata_readers_give_figures_or_located_errors_never_a_traceback(tmp_path_factory, data, fmt):
    path = tmp_path_factory.mktemp("fuzz") / "85618NED.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    try:
        report = apply(context(), read_files([(path, "f.json")], fmt), dry_run=True)
    except IndicatorError as exc:
        assert exc.location is None or exc.location.path == "f.json"
        return
    assert all(v.indicator in INDICATORS for v in report.values)


# -- the command ---------------------------------------------------------------------------------------------

def test_import_command_merges_sorted_and_then_build_works(cbs_ws):
    obs = cbs_ws / "indicators" / "observations.csv"
    code, out, err = run("indicators", "import", str(CBS / "bijstand_regio_statline.csv"),
                         str(CBS / "85618NED_TypedDataSet.json"), str(CBS / "85618NED_DataProperties.json"),
                         workspace=cbs_ws)
    assert code == 0, err
    assert obs.read_text(encoding="utf-8") == (
        "indicator,area,period,value\n"
        "bijstand,heerlen,2022,5.81\n"
        "bijstand,heerlen,2023,5.74\n"
        "bijstand,nederland,2022,2.46\n"
        "bijstand,nederland,2023,2.39\n"
        "inwoners,heerlen,2023,86762\n"
        "inwoners,heerlen_noord,2024,56000\n"
        "inwoners,kasteelbuurt_hoofdstraat_west,2023,4175\n"
        "inwoners,nederland,2023,17811291\n"
        "woz_waarde,heerlen,2023,198000\n"
        "woz_waarde,nederland,2023,371000\n")
    assert out.splitlines()[0].split() == ["indicator", "added", "changed", "unchanged", "removed", "skipped",
                                           "reasons"]
    assert out.splitlines()[1].split()[:6] == ["bijstand", "3", "1", "0", "0", "1"]
    assert "skipped 4 figure(s): 2 missing, 2 unknown region" in err
    code, out, err = run("build", "-q", workspace=cbs_ws)
    assert code == 0, err
    graph = json.loads((cbs_ws / "graphs" / "verlicht.json").read_text(encoding="utf-8"))
    observed = {(n.get("indicator"), n.get("area"), n.get("period")): n.get("value")
                for n in graph["nodes"] if n.get("kind") == "Observation"}
    assert observed[("woz_waarde", "heerlen", "2023")] == 198000


def test_import_twice_gives_the_same_bytes_and_counts_unchanged(cbs_ws):
    obs = cbs_ws / "indicators" / "observations.csv"
    args = ("indicators", "import", str(CBS / "kwb_2023_statline.csv"), "--format", "json")
    assert run(*args, workspace=cbs_ws)[0] == 0
    first = obs.read_bytes()
    code, out, _ = run(*args, workspace=cbs_ws)
    assert code == 0
    assert obs.read_bytes() == first
    total = json.loads(out)[-1]
    assert (total["indicator"], total["added"], total["changed"], total["unchanged"]) == ("(all)", 0, 0, 5)


def test_dry_run_writes_nothing_and_replace_removes_what_the_files_no_longer_hold(cbs_ws):
    obs = cbs_ws / "indicators" / "observations.csv"
    before = obs.read_bytes()
    code, _, err = run("indicators", "import", str(CBS / "kwb_2023_statline.csv"), "--dry-run", workspace=cbs_ws)
    assert code == 0 and obs.read_bytes() == before
    assert "dry run" in err
    code, out, _ = run("indicators", "import", str(CBS / "kwb_2023_statline.csv"), "--replace", "--format", "csv",
                       workspace=cbs_ws)
    assert code == 0
    assert "inwoners,3,0,0,1,1,unknown_region: 1" in out.splitlines()
    assert "heerlen_noord" not in obs.read_text(encoding="utf-8")  # inwoners 2024 is not in the 2023 table
    assert "bijstand,heerlen,2022,5.9" in obs.read_text(encoding="utf-8")  # other indicators stay


def test_a_broken_file_is_one_line_error_and_leaves_observations_untouched(cbs_ws):
    obs = cbs_ws / "indicators" / "observations.csv"
    before = obs.read_bytes()
    code, _, err = run("indicators", "import", str(CBS / "kwb_2023_statline.csv"),
                       str(BAD / "truncated_TypedDataSet.json"), str(CBS / "85618NED_DataProperties.json"),
                         workspace=cbs_ws)
    assert code == 1
    assert err.strip().endswith("the download may have been cut off; fetch it again")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert obs.read_bytes() == before


def test_explicit_format_must_fit_the_file(cbs_ws):
    code, _, err = run("indicators", "import", str(CBS / "85618NED_v4_Observations.json"), "--format-in", "odata3",
                       workspace=cbs_ws)
    assert code == 1
    assert "is not CBS OData v3 JSON" in err


def test_missing_mapping_file_is_an_error(cbs_ws):
    code, _, err = run("indicators", "import", str(CBS / "kwb_2023_statline.csv"), "--mapping",
                       str(cbs_ws / "nope.toml"), workspace=cbs_ws)
    assert code == 1
    assert "does not exist" in err


def test_the_catalogues_cbs_table_and_measure_are_a_mapping_rule_of_their_own(cbs_ws):
    """An indicator whose catalogue row names its CBS table and measure needs no [[measures]] entry."""
    catalogue = cbs_ws / "indicators" / "indicators.csv"
    rows = catalogue.read_text(encoding="utf-8").splitlines()
    rows[0] += ",cbs_table,cbs_measure"
    rows[1:] = [row + (",85618NED,AantalInwoners_5" if row.startswith("inwoners,") else ",,") for row in rows[1:]]
    catalogue.write_text("\n".join(rows) + "\n", encoding="utf-8")
    (cbs_ws / "indicators" / "cbs_mapping.toml").write_text('[tables.85618NED]\nperiod = "2023"\n', encoding="utf-8")
    code, _, err = run("indicators", "import", str(CBS / "85618NED_TypedDataSet.json"),
                       str(CBS / "85618NED_DataProperties.json"), workspace=cbs_ws)
    assert code == 0, err
    observations = (cbs_ws / "indicators" / "observations.csv").read_text(encoding="utf-8")
    assert "inwoners,heerlen,2023,86762\n" in observations
    assert "inwoners,nederland,2023,17811291\n" in observations
    woz_2023 = [line for line in observations.splitlines() if line.startswith("woz_waarde,") and ",2023," in line]
    assert woz_2023 == []  # its catalogue row names no CBS measure, and the mapping has no rule: not imported


@pytest.mark.parametrize("workspace", ["demo", "template"])
def test_the_shipped_observations_are_already_in_the_form_an_import_writes(demo, tmp_path, workspace):
    """The first import into the demo or a new workspace must change only what it imports, not every line."""
    folder = init_workspace(tmp_path / "new") if workspace == "template" else demo
    layout = open_layout(folder)
    shipped = (layout.indicators / "observations.csv").read_bytes()
    report = apply(load_context(layout), [], dry_run=True)
    assert report.data == shipped
    assert run("indicators", "import", str(CBS / "85618NED_v4_Observations.json"), workspace=folder)[0] == 0
    assert (layout.indicators / "observations.csv").read_bytes() == shipped  # nothing mapped: untouched


# -- CSVs in indicators/ that are no catalogue ---------------------------------------------------------------

STRAY_HINT = ("if it is a CBS download, import it: verlicht indicators import indicators/kwb.csv, then move it out "
              "of indicators/ (e.g. to indicators/cbs/)")


def test_a_statline_download_in_indicators_is_skipped_by_the_build_with_one_warning(demo):
    shutil.copyfile(CBS / "kwb_2023_statline.csv", demo / "indicators" / "kwb.csv")
    code, _, err = run("build", workspace=demo)
    assert code == 0, err
    stray = [line for line in err.splitlines() if "kwb.csv" in line]
    assert stray == ["indicators/kwb.csv:1: warning: not an indicator catalogue (the header is not "
                     f"id,label,unit,source,measures,tests,goals); skipped — {STRAY_HINT}"]
    graph = json.loads((demo / "graphs" / "verlicht.json").read_text(encoding="utf-8"))
    assert graph["counts"]["indicators"] == sum(1 for line in (demo / "indicators" / "indicators.csv").open(
        encoding="utf-8")) - 1


def test_a_statline_download_in_indicators_does_not_stop_an_import_and_imports_itself(cbs_ws):
    shutil.copyfile(CBS / "kwb_2023_statline.csv", cbs_ws / "indicators" / "kwb.csv")
    code, _, err = run("indicators", "import", str(CBS / "bijstand_regio_statline.csv"), workspace=cbs_ws)
    assert code == 0, err
    assert [line for line in err.splitlines() if "kwb.csv" in line] == [
        "indicators/kwb.csv:1: warning: not an indicator catalogue (the header is not "
        f"id,label,unit,source,measures,tests,goals); skipped — {STRAY_HINT}"]
    code, out, err = run("indicators", "import", str(cbs_ws / "indicators" / "kwb.csv"), "--format", "json",
                         workspace=cbs_ws)
    assert code == 0, err
    assert "not an indicator catalogue" not in err  # the file being imported gets no advice to import it
    assert json.loads(out)[-1]["added"] == 5


def test_a_catalogue_with_a_mistyped_column_is_still_read_and_its_error_located(cbs_ws):
    catalogue = cbs_ws / "indicators" / "indicators.csv"
    catalogue.write_text(catalogue.read_text(encoding="utf-8").replace(",goals\n", ",doelen\n", 1), encoding="utf-8")
    code, _, err = run("build", workspace=cbs_ws)
    assert code == 1
    assert "indicators/indicators.csv:1: missing column(s) goals" in err
