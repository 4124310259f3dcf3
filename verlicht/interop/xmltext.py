"""Text that XML 1.0 can hold: labels and utterances may carry control characters (a form feed from a PDF
transcript, a stray escape in the codebook) that no XML document may contain; lxml refuses them and networkx's
GEXF writer writes a file no parser opens. Each is written as U+FFFD (the replacement character), so positions
in the text stay where they were."""

from __future__ import annotations

import re
from typing import Any

# Not allowed anywhere in an XML 1.0 document (https://www.w3.org/TR/xml/#charsets).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value: Any) -> Any:
    """``value`` with characters XML cannot hold replaced by U+FFFD (non-text values as they are)."""
    return _ILLEGAL.sub("\ufffd", value) if isinstance(value, str) else value
