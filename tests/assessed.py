"""The score as the build computes it, for tests that start from a profile: the facts first, once."""
from __future__ import annotations

from generator.assess.facts import facts_of
from generator.assess.score import Assessment, assess
from generator.profile.model import Profile
from generator.standard.catalogue import Catalogue


def scored(profile: Profile, catalogue: Catalogue) -> Assessment:
    """The profile's assessment, its facts (`facts_of`) worked out here as `build.make_bundle` does."""
    return assess(profile, catalogue, facts_of(profile, catalogue))
