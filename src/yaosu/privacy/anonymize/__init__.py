"""k-anonymity, l-diversity and t-closeness: measure them, enforce k by Mondrian, report re-identification risk."""

from yaosu.privacy.anonymize.config import AnonymizeConfig
from yaosu.privacy.anonymize.measures import Measures, measure
from yaosu.privacy.anonymize.pipeline import AnonymizeReport, anonymize_table
from yaosu.privacy.anonymize.risk import Risk, risk

__all__ = ["AnonymizeConfig", "AnonymizeReport", "Measures", "Risk", "anonymize_table", "measure", "risk"]
