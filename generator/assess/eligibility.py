"""The eligibility pre-check before applying for certification: each condition, met or not, with where
in the profile to change it. Pure: the words are content/standard/wording.yaml's `eligibility.*`."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.profile.model import Profile
from generator.standard.catalogue import Catalogue
from generator.standard.scheme import Scheme
from generator.standard.wording import Reason, said


@dataclass(frozen=True)
class Check:
    condition: Reason  # what is checked
    ok: bool
    finding: Reason  # what the profile shows
    ground: Reason  # the clause or scheme rule it checks
    key: tuple = ()  # where in the profile to change it, for a located warning

    item = said("condition")

    detail = said("finding")

    rule = said("ground")


def checks(profile: Profile, catalogue: Catalogue, scheme: Scheme, earliest: dt.date) -> list[Check]:
    """Every condition, in the order the application form lists them."""
    c = profile.certification
    managers_clause = catalogue.with_fact("managers")
    managers = len(profile.staff.certified_managers)
    fund = profile.resources.special_fund
    law = [d for d in profile.readiness.special_deductions if d.kind == "法律法规"]
    licence_material = catalogue.material("licence")
    licence = profile.readiness.materials.get(licence_material.id)
    licence_missing = licence is not None and licence.status == "missing"
    in_time = c.planned_application >= earliest
    too_early = None if in_time else Reason("eligibility.running.too_early",
                                            {"planned": c.planned_application, "earliest": earliest})
    (entity, entity_rule), (running, running_rule), (manager_item, manager_rule), (fund_item, fund_rule), \
        (accidents, accidents_rule), (licence_item, licence_rule) = conditions(catalogue, scheme)
    return [
        Check(entity, True,
              Reason("eligibility.legal_entity.detail", {"code": profile.company.credit_code,
                                                         "representative": profile.company.legal_representative}),
              entity_rule),
        Check(running, in_time,
              Reason("eligibility.running.detail", {"start": c.system_start, "earliest": earliest,
                                                    "too_early": too_early}),
              running_rule, key=("certification", "planned_application")),
        Check(manager_item, managers > 0,
              Reason("eligibility.managers.present", {"count": managers}) if managers else
              Reason("eligibility.managers.none", {"clause": managers_clause.id, "points": managers_clause.points}),
              manager_rule, key=("staff", "certified_managers")),
        Check(fund_item, fund > 0,
              Reason("eligibility.fund.present", {"amount": fund}) if fund > 0 else Reason("eligibility.fund.none"),
              fund_rule, key=("resources", "special_fund")),
        Check(accidents, not law,
              Reason("eligibility.no_accidents.found", {"count": len(law)}) if law
              else Reason("eligibility.no_accidents.clear"),
              accidents_rule, key=("readiness", "special_deductions")),
        Check(licence_item, not licence_missing,
              Reason("eligibility.licence.missing", {"material": licence_material.id}) if licence_missing
              else Reason("eligibility.licence.present"),
              licence_rule, key=("readiness", "materials", licence_material.id)),
    ]


def conditions(catalogue: Catalogue, scheme: Scheme) -> list[tuple[Reason, Reason]]:
    """Every condition and its ground, in the order the application form lists them: what `checks`
    checks a profile against, and what the published guide lists for any reader."""
    standard = catalogue.info.id
    months = {"months": scheme.minimum_running_months}
    return [
        (Reason("eligibility.legal_entity.item"), Reason("eligibility.legal_entity.rule")),
        (Reason("eligibility.running.item", months), Reason("eligibility.running.rule", months)),
        (Reason("eligibility.managers.item"),
         Reason("eligibility.clause_rule", {"standard": standard, "clause": catalogue.with_fact("managers").id})),
        (Reason("eligibility.fund.item"),
         Reason("eligibility.clause_rule", {"standard": standard, "clause": catalogue.with_fact("budget").id})),
        (Reason("eligibility.no_accidents.item"), Reason("eligibility.no_accidents.rule")),
        (Reason("eligibility.licence.item"), Reason("eligibility.licence.rule")),
    ]
