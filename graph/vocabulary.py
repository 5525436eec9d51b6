"""The graph's labels, relationship types and enumerated property values."""

from enum import StrEnum


class Label(StrEnum):
    ACTION_PLAN = "ActionPlan"
    BODY = "Body"
    COMMITMENT = "Commitment"
    JURISDICTION = "Jurisdiction"
    SOURCE = "Source"


class Rel(StrEnum):
    # (:ActionPlan)-[:FOR_JURISDICTION]->(:Jurisdiction)
    FOR_JURISDICTION = "FOR_JURISDICTION"
    # (:ActionPlan)-[:HAS_COMMITMENT]->(:Commitment)
    HAS_COMMITMENT = "HAS_COMMITMENT"
    # (:Body)-[:LEADS]->(:Commitment)
    LEADS = "LEADS"
    # (:Body)-[:PARTNERS_IN {role}]->(:Commitment)
    PARTNERS_IN = "PARTNERS_IN"
    # (:Body)-[:BASED_IN]->(:Jurisdiction)
    BASED_IN = "BASED_IN"
    # (:Jurisdiction)-[:PART_OF]->(:Jurisdiction)
    PART_OF = "PART_OF"
    # (any)-[:SOURCED_FROM {location}]->(:Source)
    SOURCED_FROM = "SOURCED_FROM"


class JurisdictionLevel(StrEnum):
    COUNTRY = "country"
    NATION = "nation"
    LOCAL_AUTHORITY = "local_authority"


class BodyKind(StrEnum):
    UK_DEPARTMENT = "uk_department"
    DEVOLVED_GOVERNMENT = "devolved_government"
    GOVERNMENT_UNIT = "government_unit"
    REGULATOR = "regulator"
    LOCAL_GOVERNMENT_ASSOCIATION = "local_government_association"
    LOCAL_AUTHORITY = "local_authority"
    CIVIL_SOCIETY = "civil_society"
    NETWORK = "network"
    CONSORTIUM = "consortium"
    INTERNATIONAL_ORGANISATION = "international_organisation"
    COLLECTIVE = "collective"
    UNCLASSIFIED = "unclassified"


class PartnerRole(StrEnum):
    GOVERNMENT = "government"
    CIVIL_SOCIETY = "civil_society"
    DELIVERY = "delivery"
