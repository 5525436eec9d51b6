"""The graph's labels, relationship types and enumerated property values."""

from enum import StrEnum


class Label(StrEnum):
    ACTION_PLAN = "ActionPlan"
    BODY = "Body"
    CHANGE_SET = "ChangeSet"
    COMMITMENT = "Commitment"
    JURISDICTION = "Jurisdiction"
    LESSON = "Lesson"
    MILESTONE = "Milestone"
    PRACTICE = "Practice"
    REDIRECT = "Redirect"
    RETRACTED = "Retracted"
    REVISION = "Revision"
    SEQUENCE = "Sequence"
    SOURCE = "Source"
    STANDARD = "Standard"
    THEME = "Theme"
    THEME_SCHEME = "ThemeScheme"


# Labels of the graph's own bookkeeping, never an entity a reader looks for.
INTERNAL_LABELS = frozenset(
    {
        Label.CHANGE_SET,
        Label.REDIRECT,
        Label.RETRACTED,
        Label.REVISION,
        Label.SEQUENCE,
        Label.SOURCE,
    }
)


class Rel(StrEnum):
    # (:ActionPlan)-[:FOR_JURISDICTION]->(:Jurisdiction)
    FOR_JURISDICTION = "FOR_JURISDICTION"
    # (:ActionPlan)-[:HAS_COMMITMENT]->(:Commitment)
    HAS_COMMITMENT = "HAS_COMMITMENT"
    # (:ActionPlan)-[:CHAPTER_OF]->(:ActionPlan): a devolved government's chapter of a UK plan
    CHAPTER_OF = "CHAPTER_OF"
    # (:Commitment)-[:HAS_MILESTONE]->(:Milestone {year, text, status})
    HAS_MILESTONE = "HAS_MILESTONE"
    # (:Body)-[:LEADS]->(:Commitment)
    LEADS = "LEADS"
    # (:Body)-[:PARTNERS_IN {role}]->(:Commitment)
    PARTNERS_IN = "PARTNERS_IN"
    # (:Body)-[:BASED_IN]->(:Jurisdiction)
    BASED_IN = "BASED_IN"
    # (:Jurisdiction)-[:PART_OF]->(:Jurisdiction), and
    # (:Body)-[:PART_OF {basis}]->(:Body): sponsored by, a sub-organisation of or a subsidiary of
    PART_OF = "PART_OF"
    # (any)-[:SOURCED_FROM {location}]->(:Source)
    SOURCED_FROM = "SOURCED_FROM"
    # (:Commitment|Practice|Lesson)-[:HAS_THEME]->(:Theme)
    HAS_THEME = "HAS_THEME"
    # (:Theme)-[:BROADER]->(:Theme), SKOS skos:broader
    BROADER = "BROADER"
    # (:Theme)-[:IN_SCHEME]->(:ThemeScheme), SKOS skos:inScheme
    IN_SCHEME = "IN_SCHEME"
    # (:Practice)-[:APPLIED_IN]->(:Commitment)
    APPLIED_IN = "APPLIED_IN"
    # (:Practice)-[:PRACTISED_IN]->(:Jurisdiction)
    PRACTISED_IN = "PRACTISED_IN"
    # (:Body)-[:INVOLVED_IN]->(:Practice)
    INVOLVED_IN = "INVOLVED_IN"
    # (:Practice)-[:USES_STANDARD]->(:Standard)
    USES_STANDARD = "USES_STANDARD"
    # (:Lesson)-[:ABOUT]->(:Commitment|Practice|ActionPlan)
    ABOUT = "ABOUT"
    # (:Lesson)-[:APPLIES_TO]->(:Jurisdiction)
    APPLIES_TO = "APPLIES_TO"
    # (:Lesson)-[:EVIDENCED_BY {location}]->(:Source)
    EVIDENCED_BY = "EVIDENCED_BY"
    # (:Commitment)-[:ADAPTED_FROM {evidence, quote}]->(:Commitment): a source says the first
    # followed on from the second (seeds/lineage.csv)
    ADAPTED_FROM = "ADAPTED_FROM"


class JurisdictionLevel(StrEnum):
    COUNTRY = "country"
    NATION = "nation"
    LOCAL_AUTHORITY = "local_authority"


class BodyKind(StrEnum):
    UK_DEPARTMENT = "uk_department"
    GOVERNMENT_BODY = "government_body"
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
    SUPPORTING = "supporting"


class Specificity(StrEnum):
    """IRM: how specific and measurable a commitment is."""

    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class PotentialImpact(StrEnum):
    """IRM: how much a commitment could change government practice if completed."""

    NONE = "none"
    MINOR = "minor"
    MODERATE = "moderate"
    TRANSFORMATIVE = "transformative"
    UNCLEAR = "unclear"


class Completion(StrEnum):
    """IRM: how far a commitment was carried out."""

    NOT_STARTED = "not_started"
    LIMITED = "limited"
    SUBSTANTIAL = "substantial"
    COMPLETE = "complete"
    WITHDRAWN = "withdrawn"
    UNCLEAR = "unclear"


class CompletionChange(StrEnum):
    """IRM: how completion moved between the progress and end-of-term reports."""

    NO_CHANGE = "no_change"
    INCREASE = "increase"
    DECREASE = "decrease"


class OpenedGovernment(StrEnum):
    """IRM, end of term: did the commitment open government?"""

    WORSENED = "worsened"
    DID_NOT_CHANGE = "did_not_change"
    MARGINAL = "marginal"
    MAJOR = "major"
    OUTSTANDING = "outstanding"


class LessonKind(StrEnum):
    """What a lesson of the UK nations' file says: what worked, what did not, or what to do."""

    WHAT_WORKED = "what worked"
    WHAT_DID_NOT = "what did not"
    RECOMMENDATION = "recommendation"


class OgpMembership(StrEnum):
    """How a plan takes part in the Open Government Partnership."""

    NATIONAL = "national"
    OGP_LOCAL = "OGP Local"
