"""Eligibility engine: which relocation programs (the Afghan SIV, P-2, P-1) a case qualifies
for, under which version of the law, why, and what is still missing.

Pure Python (no Django): the rules are data (TOML files in ``safepassage/data/rules`` that a
program officer can review), the evaluator applies them to plain case facts, and the results
explain themselves in English, Dari and Pashto. Written by hand because no library encodes
these US programs.

Public surface::

    rules = load_shipped_rules()
    assessment = evaluate(facts, rules, today=date.today())
    lines = explain(assessment, "fa")
    change = compare(old_assessment, new_assessment)
"""

from __future__ import annotations

from safepassage.engine.eligibility.compare import (
    Change,
    ChangeSummary,
    MemberChange,
    ProgramChange,
    compare,
    summarise,
)
from safepassage.engine.eligibility.evaluator import evaluate
from safepassage.engine.eligibility.explain import LANGUAGES, ExplanationLine, explain
from safepassage.engine.eligibility.facts import (
    CaseFacts,
    EmployerKind,
    Employment,
    FactsError,
    MaritalStatus,
    Person,
    Referral,
    ReferrerKind,
    Relationship,
    Role,
    Sex,
    written_explanation_for,
)
from safepassage.engine.eligibility.results import (
    Assessment,
    CriterionResult,
    CriterionState,
    MemberAssessment,
    MissingItem,
    Outcome,
    ProgramAssessment,
)
from safepassage.engine.eligibility.rule_files import (
    SHIPPED_RULE_FILES,
    RuleFileError,
    build_rule_set,
    load_rules_text,
    load_shipped_rules,
    read_shipped_rule_file,
)
from safepassage.engine.eligibility.rules import (
    Check,
    Criterion,
    CriterionKind,
    FamilyRule,
    ProgramRules,
    RuleSet,
    RuleVersion,
    UnverifiedRule,
)
from safepassage.engine.eligibility.service import qualifying_service_days

__all__ = [
    "LANGUAGES",
    "SHIPPED_RULE_FILES",
    "Assessment",
    "CaseFacts",
    "Change",
    "ChangeSummary",
    "Check",
    "Criterion",
    "CriterionKind",
    "CriterionResult",
    "CriterionState",
    "EmployerKind",
    "Employment",
    "ExplanationLine",
    "FactsError",
    "FamilyRule",
    "MaritalStatus",
    "MemberAssessment",
    "MemberChange",
    "MissingItem",
    "Outcome",
    "Person",
    "ProgramAssessment",
    "ProgramChange",
    "ProgramRules",
    "Referral",
    "ReferrerKind",
    "Relationship",
    "Role",
    "RuleFileError",
    "RuleSet",
    "RuleVersion",
    "Sex",
    "UnverifiedRule",
    "build_rule_set",
    "compare",
    "evaluate",
    "explain",
    "load_rules_text",
    "load_shipped_rules",
    "qualifying_service_days",
    "read_shipped_rule_file",
    "summarise",
    "written_explanation_for",
]
