"""The rule sets the ranking applies. They live in the hub (recruitment/rulesets.py) because the
exam, the interviews and verification apply them too, and nothing may import results."""
from recruitment.rulesets import DEFAULT_RULES, PRESETS, VN_2020, VN_2025, RuleSet, get

__all__ = ["DEFAULT_RULES", "PRESETS", "VN_2020", "VN_2025", "RuleSet", "get"]
