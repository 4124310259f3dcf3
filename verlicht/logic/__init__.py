"""Intervention logic models: Middelen → Activiteiten → Prestaties → Effecten, mechanisms under each arrow.

``logic/<intervention>.yaml`` in a workspace describes one intervention as the NPHLN monitoring scheme
draws it. :func:`read_logic_models` reads and checks the files; :func:`check_references` checks the
indicators, concepts and goals they name; the build turns them into Intervention, Step and Mechanism
nodes, so the mechanisms people voice about an intervention meet the claims coded in interviews.
"""

from verlicht.logic.model import STAGE_LABELS_EN, STAGES, Arrow, LogicModel, Mechanism, Step
from verlicht.logic.reader import logic_files, read_logic_model, read_logic_models
from verlicht.logic.validate import check_references

__all__ = ["STAGES", "STAGE_LABELS_EN", "Arrow", "LogicModel", "Mechanism", "Step", "check_references",
           "logic_files", "read_logic_model", "read_logic_models"]
