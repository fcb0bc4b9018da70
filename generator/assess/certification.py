"""The certification plan: eligibility pre-check, person-days and fees, and the timeline. Pure.

Tariffs (content/standard/tariffs.yaml) and scheme timings (certification.yaml) are data
(`generator.standard.scheme`); the body's tariff is one of the profile's facts. This module puts the
plan together: the checks (`eligibility`), each audit's person-days once and their costs (`fees`),
and the dates (`timeline`).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from generator.assess.dates import add_months
from generator.assess.eligibility import Check, checks
from generator.assess.facts import Facts
from generator.assess.fees import Audit, Band, Cost, Sample, audits, band_for, bands, stage_costs
from generator.assess.timeline import Milestone, OnSite, milestones, schedule_onsite
from generator.profile.model import Profile
from generator.standard.catalogue import Catalogue
from generator.standard.scheme import DaysRow, Due, Scheme, Tariff, load_scheme


@dataclass(frozen=True)
class Plan:
    tariff: Tariff
    scheme: Scheme
    employees: int
    band: Band | None  # None: above the table's largest band
    top: Band  # the table's largest band
    outlets: int
    audits: dict[str, Audit]  # by stage: initial, surveillance, recert
    costs: list[Cost]
    checks: list[Check]
    earliest_application: dt.date
    onsite: OnSite
    issued: dt.date  # the certificate, as planned
    expiry: dt.date
    milestones: list[Milestone]
    due_records: list[Due]

    @property
    def samples(self) -> dict[str, Sample]:
        """The outlets sampled at each stage's audit."""
        return {stage: audit.sample for stage, audit in self.audits.items()}

    @property
    def days(self) -> DaysRow | None:
        return self.band.row if self.band else None

    @property
    def beyond(self) -> bool:
        """More staff than the table's largest band: it does not cover them."""
        return self.band is None

    @property
    def warnings(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]


def plan_certification(profile: Profile, catalogue: Catalogue, facts: Facts) -> Plan:
    """The plan for this company: checks, costs by the tariff of its body (`facts.tariff`), and dates."""
    tariff, scheme = facts.tariff, load_scheme()
    c = profile.certification
    employees, outlets = profile.company.employees, len(profile.resources.outlets)
    band, top = band_for(employees, tariff), bands(tariff)[-1]
    by_stage = audits(tariff, employees, outlets)
    costs = [cost for audit in by_stage.values() for cost in stage_costs(audit, tariff, band, top)]

    earliest = add_months(c.system_start, scheme.minimum_running_months)
    application = max(c.planned_application, earliest)
    onsite = schedule_onsite(scheme, application, by_stage["initial"])
    # a late on-site evaluation leaves the scheme's time for corrections and approval: the certificate moves too
    decision = application + dt.timedelta(days=scheme.steps["decision"] + onsite.late)
    expiry = add_months(decision, 12 * scheme.certificate_years) - dt.timedelta(days=1)
    return Plan(tariff, scheme, employees, band, top, outlets, by_stage, costs,
                checks(profile, catalogue, scheme, earliest), earliest, onsite, decision, expiry,
                milestones(scheme, c.system_start, earliest, application, onsite, decision, expiry),
                scheme.due_before_surveillance)
