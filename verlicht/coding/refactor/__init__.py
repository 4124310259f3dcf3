"""Codebook refactors: rename, merge and retype concepts (and rename or merge edge types) everywhere at once.

A refactor is planned first and applied second. :func:`plan_rename`, :func:`plan_merge` and
:func:`plan_retype` read the workspace and return a :class:`Plan`: the new bytes of every file that
changes (sources, ``ontology/codebook.yaml``, the indicator catalogue, the intervention logic models
in ``logic/*.yaml``), each checked before anything is written — every rewritten source is read again
with the ROCK reader and must hold exactly the old codes with the names changed, the codebook must
load, the indicator catalogue must still refer to known concepts, every rewritten logic model is read
again with the logic reader and must be the old model with the names changed. :func:`apply_plan` adds
an entry to ``ontology/CHANGELOG.md`` and writes all of these files together with
:func:`verlicht.fsio.replace_all`: all or nothing.

One module per job; this package only gathers their public names, so callers keep importing them from
``verlicht.coding.refactor``:

=====================  =================================================================================
``operations``         planning: :func:`plan_rename`, :func:`plan_merge`, :func:`plan_retype` (and edge types)
``plan``               what a refactor will write: :class:`Plan`, :class:`FileChange`
``source_codes``       the code-token rewriter for ROCK sources and its check: :func:`rewrite_codes`
``codebook_text``      the codebook edited as text; the synonyms a merge offers
``indicators``         concept names in the indicator catalogue
``logic``              concept names in the logic models and the reviews' findings
``changelog``          :func:`apply_plan`, all or nothing, and ``ontology/CHANGELOG.md``
=====================  =================================================================================

The modules import each other one way (``operations`` → the rewriters → ``plan``), never back.
"""

from verlicht.coding.refactor.changelog import (
    CHANGELOG,
    CHANGELOG_HEADING,
    ENTRY,
    apply_plan,
    changelog_entry,
    changelog_file,
    coder_name,
    read_changelog,
)
from verlicht.coding.refactor.codebook_text import (
    QUALIFIER,
    BookText,
    bare_label,
    keeps_labels_as_synonyms,
    merged_synonyms,
)
from verlicht.coding.refactor.logic import rewrite_logic_text
from verlicht.coding.refactor.operations import IDENTIFIER, plan_merge, plan_rename, plan_retype
from verlicht.coding.refactor.plan import BUG_HINT, FileChange, Plan
from verlicht.coding.refactor.source_codes import (
    Rename,
    Rewritten,
    check_rewrite,
    code_lines,
    rewrite_codes,
    rewrite_content,
)

__all__ = [
    "BUG_HINT",
    "CHANGELOG",
    "CHANGELOG_HEADING",
    "ENTRY",
    "IDENTIFIER",
    "QUALIFIER",
    "BookText",
    "FileChange",
    "Plan",
    "Rename",
    "Rewritten",
    "apply_plan",
    "bare_label",
    "changelog_entry",
    "changelog_file",
    "check_rewrite",
    "code_lines",
    "coder_name",
    "keeps_labels_as_synonyms",
    "merged_synonyms",
    "plan_merge",
    "plan_rename",
    "plan_retype",
    "read_changelog",
    "rewrite_codes",
    "rewrite_content",
    "rewrite_logic_text",
]
