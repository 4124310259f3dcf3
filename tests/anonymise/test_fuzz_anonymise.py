"""Property tests: any bytes give turns or a TranscriptError; any transcript gives valid ROCK output."""

from __future__ import annotations

import itertools

from anondata import PASSPHRASE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from verlicht.anonymise.keystore import KeyStore
from verlicht.anonymise.to_rock import CaseInfo, anonymise_transcript
from verlicht.anonymise.transcript import Transcript, Turn, read_transcript
from verlicht.errors import TranscriptError
from verlicht.rock.reader import parse_bytes

PIECES = st.sampled_from([
    "I: ", "R: ", "Interviewer: ", "Truus: ", "[00:01:02] R: ", "SPREKER 1: ", "\n", "\r\n", " ", "WEBVTT\n",
    "00:00:01.000 --> 00:00:02.000\n", "00:00:01,000 --> 00:00:02,000\n", "<v Jo>", "</v>", "NOTE x\n", "1\n",
    "[[", "]]", "[[uid=a]]", "---", "#", "~", "--+-{", "06-12345678", "Mia Ploumen", "mevrouw Lemmens",
    "Akerstraat 86", "6411 HB", "Heerlen", "é", "\ufeff", "\x00", ":", "ja.", "Ik ben 43 jaar.",
])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=30).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(TEXT.map(lambda t: t.encode("utf-8")), st.binary(max_size=200)),
       suffix=st.sampled_from([".txt", ".vtt", ".srt"]))
def test_any_bytes_read_into_turns_or_a_transcript_error(tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("fuzz") / f"t{suffix}"
    path.write_bytes(data)
    try:
        transcript = read_transcript(path)
    except TranscriptError as exc:
        assert str(exc).startswith(str(path))
        return
    assert transcript.turns and all(t.text for t in transcript.turns)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(turns=st.lists(st.tuples(st.sampled_from([None, "I", "R", "Truus"]), TEXT.filter(str.strip)),
                      min_size=1, max_size=6))
def test_any_transcript_becomes_valid_rock(tmp_path_factory, detector, turns):
    key = KeyStore.create(tmp_path_factory.mktemp("key") / "k.verlicht-key", PASSPHRASE)
    transcript = Transcript("fuzz.txt", [Turn(s, " ".join(t.split()), i) for i, (s, t) in enumerate(turns, 1)
                                         if " ".join(t.split())])
    if not transcript.turns:
        return
    transcript.raw = repr(turns).encode()
    result = anonymise_transcript(transcript, detector, key, CaseInfo(case_id="R01"), "s")
    source = parse_bytes(result.text.encode("utf-8"), "out.rock")  # raises on anything that is not ROCK
    assert len(source.utterances) == result.utterances
    assert all(u.uid for u in source.utterances)
    assert not any(u.codes or u.network for u in source.utterances)  # text never turns into codes
    uids = [u.uid for u in source.utterances]
    assert len(set(uids)) == len(uids)
    assert all(a.line < b.line for a, b in itertools.pairwise(source.utterances))


ROCK_PIECES = st.sampled_from([
    "[[uid=u1]] ", "[[uid=u2]] ", "[[cid=R01]] ", "[[wonen>instroom]] ", "[[a->b||causal_pos||2]] ", "[[c||3]] ",
    "~ ", "# ", "Mia Ploumen ", "bel 06-12345678 ", "mevrouw Lemmens van Woonpunt ", "in Vrieheide ", "[", "]",
    "---<<deel>>---", "--+-{ 00:01 }-+-- ", "Ik ben 43 jaar. ", "gewoon tekst ", "\n",
])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.lists(ROCK_PIECES, min_size=1, max_size=25).map("".join))
def test_rock_input_keeps_every_code_whatever_the_text(tmp_path_factory, detector, body):
    from verlicht.anonymise.to_rock import anonymise_rock
    from verlicht.errors import RockSyntaxError

    data = body.encode("utf-8")
    try:
        before = parse_bytes(data, "in.rock")
    except RockSyntaxError:
        return  # only valid ROCK is promised to stay valid
    key = KeyStore.create(tmp_path_factory.mktemp("key") / "k.verlicht-key", PASSPHRASE)
    result = anonymise_rock("in.rock", data, detector, key, "s")
    after = parse_bytes(result.text.encode("utf-8"), "out.rock")

    def codes(source):
        return [(u.uid, [c.id for c in u.codes], [(n.source, n.target, n.type, n.weight) for n in u.network],
                 [(v.code, v.value) for v in u.values], u.nesting, dict(u.ids)) for u in source.utterances]

    assert codes(after) == codes(before)
    assert [s.name for s in after.sections] == [s.name for s in before.sections]
