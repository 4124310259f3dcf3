"""ROCK sources: read (and, for coding, write) the Reproducible Open Coding Kit format."""

from verlicht.rock.model import (
    Code,
    CodeKind,
    CodeValue,
    IdKind,
    Kind,
    NetworkCode,
    NetworkKind,
    Problem,
    Row,
    SectionBreak,
    Source,
    UidKind,
    Utterance,
    ValueKind,
    YamlFragment,
)
from verlicht.rock.reader import classify, parse_bytes, parse_text, read_source, scan_bytes, scan_text
from verlicht.rock.writer import network_code

__all__ = [
    "Code",
    "CodeKind",
    "CodeValue",
    "IdKind",
    "Kind",
    "NetworkCode",
    "NetworkKind",
    "Problem",
    "Row",
    "SectionBreak",
    "Source",
    "UidKind",
    "Utterance",
    "ValueKind",
    "YamlFragment",
    "classify",
    "network_code",
    "parse_bytes",
    "parse_text",
    "read_source",
    "scan_bytes",
    "scan_text",
]
