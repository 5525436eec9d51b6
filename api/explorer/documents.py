"""The GraphQL documents the explorer's pages send: the public API, nothing else, one constant each."""

# What a search form offers: the jurisdiction and theme trees, the plans...
FACETS = """
query ExplorerFacets {
  jurisdictions { id name level parent { id } }
  themes { id name scheme { id name } broader { id } }
  actionPlans { id title periodStart periodEnd jurisdiction { id name } }
}
"""

# ...and the IRM ratings, from the schema itself (asked apart: introspection is not compiled).
RATINGS = """
fragment EnumNames on __Type { enumValues { name } }
query ExplorerRatings {
  potentialImpact: __type(name: "PotentialImpact") { ...EnumNames }
  specificity: __type(name: "Specificity") { ...EnumNames }
  completion: __type(name: "Completion") { ...EnumNames }
}
"""

SEARCH = """
query ExplorerSearch(
  $text: String!, $first: Int!, $jurisdiction: ID, $theme: ID, $plan: ID, $yearFrom: Int,
  $yearTo: Int, $potentialImpact: PotentialImpact, $specificity: Specificity,
  $completion: Completion, $starred: Boolean
) {
  search(
    text: $text, first: $first, jurisdiction: $jurisdiction, theme: $theme, plan: $plan,
    yearFrom: $yearFrom, yearTo: $yearTo, potentialImpact: $potentialImpact,
    specificity: $specificity, completion: $completion, starred: $starred
  ) {
    __typename
    ... on Commitment {
      id title startYear endYear
      actionPlan { id title jurisdiction { id name } }
      irm { potentialImpact completionEndOfTerm completionProgressReport }
    }
    ... on Practice { id name startYear endYear jurisdictions { id name } }
    ... on Lesson { id statement }
    ... on Body { id name kind jurisdiction { id name } }
    ... on ActionPlan { id title periodStart periodEnd jurisdiction { id name } }
    ... on Jurisdiction { id name level }
    ... on Theme { id name scheme { name } }
  }
}
"""

COMMITMENT = """
query ExplorerCommitment($id: ID!) {
  commitment(id: $id) {
    id number code title shortTitle summary fullText startYear endYear ogpId policyAreas
    actionPlan { id title periodStart periodEnd jurisdiction { id name } }
    irm {
      assessed specificity relevantToOgpValues potentialImpact completionProgressReport
      completionEndOfTerm completionChange openedGovernment starredProgressReport
      starredEndOfTerm progressReportYear endOfTermReportYear
    }
    leads { id name kind }
    partners { role body { id name kind } }
    themes { id name scheme { name } }
    lessons { id statement evidence { sourceId location } }
    milestones { id year text status }
    identifiers { scheme value }
    sources { id title publisher licence location }
  }
  similar(to: $id, first: 8, inOtherJurisdictions: true) { ...SimilarResult }
}
fragment SimilarResult on SimilarResult {
  score
  reasons { kind label weight }
  item {
    __typename
    ... on Commitment { id title actionPlan { jurisdiction { id name } } }
    ... on Practice { id name jurisdictions { id name } }
  }
}
"""

PRACTICE = """
query ExplorerPractice($id: ID!) {
  practice(id: $id) {
    id name description url startYear endYear ongoing numberOfParticipants methods topics scopes
    sources { id title publisher licence location }
    identifiers { scheme value }
    commitments { id title }
    bodies { id name kind }
    jurisdictions { id name level }
    standards { id name }
    themes { id name scheme { name } }
    lessons { id statement evidence { sourceId location } }
  }
  similar(to: $id, first: 8, inOtherJurisdictions: true) { ...SimilarResult }
}
fragment SimilarResult on SimilarResult {
  score
  reasons { kind label weight }
  item {
    __typename
    ... on Commitment { id title actionPlan { jurisdiction { id name } } }
    ... on Practice { id name jurisdictions { id name } }
  }
}
"""

LESSON = """
query ExplorerLesson($id: ID!) {
  lesson(id: $id) {
    id statement evidence { sourceId location }
    sources { id title publisher licence location }
    commitments { id title actionPlan { jurisdiction { id name } } }
    practices { id name }
    themes { id name scheme { name } }
    jurisdictions { id name level }
  }
}
"""

BODY = """
query ExplorerBody($id: ID!) {
  body(id: $id) {
    id name kind aliases status classification
    accountability { holdsPublicMeetings publishesMinutes hasRegisterOfInterests }
    resolution { name source rule }
    sources { id title publisher licence location }
    identifiers { scheme value }
    jurisdiction { id name level }
    parent { id name }
    parts { id name kind }
    leads { id title actionPlan { jurisdiction { id name } } }
    partnerIn { role commitment { id title } }
    partnerNetwork(first: 16) { sharedCommitments body { id name kind } }
  }
}
"""

# A place's record and the list of every place, for its ancestors and the places within it;
# what is in it rolls up through the filters that take a jurisdiction "with its parts". The three
# are asked apart, at once: `irmSummary` and `lessons` are not compiled, and would take the other
# fields off the one-statement path with them.
PLACES = """
query ExplorerPlaces($id: ID!) {
  jurisdictions { id name level gssCode authorityType aliases parent { id } }
  jurisdiction(id: $id) { sources { id title publisher licence location } }
}
"""

PLACE_CONTENTS = """
query ExplorerPlaceContents($id: ID!) {
  commitmentsConnection(jurisdiction: $id, first: 25) {
    totalCount
    edges { node { id title startYear actionPlan { id title jurisdiction { id name } } } }
  }
  actionPlansConnection(jurisdiction: $id, first: 50) {
    totalCount edges { node { id title periodStart periodEnd } }
  }
}
"""

PLACE_FINDINGS = """
query ExplorerPlaceFindings($id: ID!) {
  irmSummary(jurisdiction: $id) { ...IrmCounts }
  lessons(jurisdiction: $id) { id statement jurisdictions { id name } }
}
fragment IrmCounts on IrmSummary {
  commitments assessed starredEndOfTerm
  byPotentialImpact { value count }
  byCompletionEndOfTerm { value count }
}
"""

# A plan's record, its commitments, its IRM counts.
PLAN = """
query ExplorerPlan($id: ID!) {
  actionPlan(id: $id) {
    id number title periodStart periodEnd ogpMembership jurisdiction { id name } chapterOf { id title }
    sources { id title publisher licence location }
  }
}
"""

PLAN_CONTENTS = """
query ExplorerPlanContents($id: ID!) {
  commitmentsConnection(plan: $id, first: 100) {
    totalCount
    edges {
      node {
        id code title leads { id name }
        irm { potentialImpact completionEndOfTerm starredEndOfTerm }
      }
    }
  }
}
"""

PLAN_FINDINGS = """
query ExplorerPlanFindings($id: ID!) {
  irmSummary(plan: $id) { ...IrmCounts }
}
fragment IrmCounts on IrmSummary {
  commitments assessed starredEndOfTerm
  byPotentialImpact { value count }
  byCompletionEndOfTerm { value count }
}
"""

THEME = """
query ExplorerTheme($id: ID!) {
  theme(id: $id) {
    id name scheme { id name description } broader { id name } narrower { id name }
    sources { id title publisher licence location }
  }
  commitmentsConnection(theme: $id, first: 25) {
    totalCount
    edges { node { id title actionPlan { jurisdiction { id name } } } }
  }
  lessons(theme: $id) { id statement }
}
"""

COVERAGE = """
query ExplorerCoverage($level: JurisdictionLevel!, $scheme: ID!) {
  coverage(level: $level, scheme: $scheme) {
    themes { id name }
    rows { jurisdiction { id name } counts }
    gaps { jurisdiction { id name } theme { id name } peers }
  }
  themes { id scheme { id name } }
}
"""
