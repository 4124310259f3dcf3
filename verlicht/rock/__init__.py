"""ROCK sources: read (and, for coding, write) the Reproducible Open Coding Kit format."""

from verlicht.rock.model import Code, CodeValue, NetworkCode, SectionBreak, Source, Utterance, YamlFragment
from verlicht.rock.reader import parse_bytes, parse_text, read_source, scan_bytes, scan_text

__all__ = [
    "Code",
    "CodeValue",
    "NetworkCode",
    "SectionBreak",
    "Source",
    "Utterance",
    "YamlFragment",
    "parse_bytes",
    "parse_text",
    "read_source",
    "scan_bytes",
    "scan_text",
]
