"""The company profile's public names: every model of the schema, and reading a profile.

The schema is declared in sections: the kinds of value (values), the company as it is (company),
the service it promises (service), the way to certification (readiness) and the whole (model).
Reading and validating a profile is generator.profile.validation; a validation error's wording is
generator.profile.messages; what the schema says at a key path is generator.profile.introspect.
"""
from __future__ import annotations

from generator.profile.company import (Certificate, CertifiedManager, Charge, Company, Contact, Department,
                                       Organisation, Outlet, Person, Product, Resources, Staff, Supervision)
from generator.profile.model import Profile, SectionText
from generator.profile.readiness import (Bonus, Certification, ClauseAssessment, DocumentControl, MaterialStatus,
                                         Readiness, Samples, SpecialDeduction)
from generator.profile.service import (Arrangement, Arrangements, Commitments, Complaints, Culture, Customers,
                                       FollowUp, Survey, Target)
from generator.profile.validation import load_profile, read_profile

__all__ = [
    "Profile", "load_profile", "read_profile",
    "Company", "Product", "Contact", "Certificate", "Organisation", "Person", "Department", "Supervision",
    "Staff", "CertifiedManager", "Resources", "Outlet", "Charge",
    "Commitments", "Arrangement", "Arrangements", "Culture", "Target", "Customers", "FollowUp", "Survey", "Complaints",
    "DocumentControl", "Certification", "Readiness", "ClauseAssessment", "Samples", "SpecialDeduction", "Bonus",
    "MaterialStatus", "SectionText",
]
