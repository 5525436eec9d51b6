"""The GraphQL documents the coordinators' screens send, with the signed-in coordinator's token."""

VIEWER = """
query CoordinatorViewer { viewer { subject name roles } }
"""

# What every curation mutation answers, as the screens show it.
RESULT = """
fragment CurationAnswer on CurationResult {
  __typename
  ... on Applied {
    changeSet { id status }
    revision { entityId kind version action }
  }
  ... on Proposed { changeSet { id status entityId } }
  ... on Conflict { message currentVersion current { field value } }
  ... on ValidationError { field message }
}
"""

LESSON = """
query CoordinatorLesson($id: ID!) {
  lesson(id: $id) {
    id version statement evidence { sourceId location }
    commitments { id } practices { id } themes { id } jurisdictions { id }
  }
}
"""

PRACTICE = """
query CoordinatorPractice($id: ID!) {
  practice(id: $id) {
    id version name description
    commitments { id } jurisdictions { id } standards { id } themes { id } bodies { id }
  }
}
"""

FIND = """
query CoordinatorFind($text: String!) {
  search(text: $text, first: 50) {
    __typename
    ... on Lesson { id statement version }
    ... on Practice { id name version }
  }
}
"""

CREATE_LESSON = (
    """
mutation CoordinatorCreateLesson($input: LessonInput!) {
  createLesson(input: $input) { ...CurationAnswer }
}
"""
    + RESULT
)

UPDATE_LESSON = (
    """
mutation CoordinatorUpdateLesson($id: ID!, $expectedVersion: Int!, $input: LessonPatch!) {
  updateLesson(id: $id, expectedVersion: $expectedVersion, input: $input) { ...CurationAnswer }
}
"""
    + RESULT
)

CREATE_PRACTICE = (
    """
mutation CoordinatorCreatePractice($input: PracticeInput!) {
  createPractice(input: $input) { ...CurationAnswer }
}
"""
    + RESULT
)

UPDATE_PRACTICE = (
    """
mutation CoordinatorUpdatePractice($id: ID!, $expectedVersion: Int!, $input: PracticePatch!) {
  updatePractice(id: $id, expectedVersion: $expectedVersion, input: $input) { ...CurationAnswer }
}
"""
    + RESULT
)

REVIEW_QUEUE = """
query CoordinatorReviewQueue($first: Int!) {
  changeSets(status: SUBMITTED, first: $first) {
    id action kind entityId expectedVersion relation targetId reason
    author authorName createdAt
    fields { field after }
  }
}
"""

REVIEW = (
    """
mutation CoordinatorReview($id: ID!, $decision: Decision!, $comment: String) {
  reviewChangeSet(id: $id, decision: $decision, comment: $comment) { ...CurationAnswer }
}
"""
    + RESULT
)

HISTORY = """
query CoordinatorHistory($id: ID!) {
  history(id: $id) {
    version action actor actorName at changeSetId
    changes { field before after }
  }
  lesson(id: $id) { id version statement }
  practice(id: $id) { id version name }
}
"""

REVERT = (
    """
mutation CoordinatorRevert($id: ID!, $toVersion: Int!, $expectedVersion: Int) {
  revert(id: $id, toVersion: $toVersion, expectedVersion: $expectedVersion) { ...CurationAnswer }
}
"""
    + RESULT
)

DUPLICATES = """
query CoordinatorDuplicates($first: Int!) {
  duplicateBodies(first: $first) {
    jurisdictionId reason
    first { id name kind }
    second { id name kind }
  }
}
"""

MERGE = (
    """
mutation CoordinatorMerge($keep: ID!, $drop: ID!, $reason: String!) {
  mergeBodies(keep: $keep, drop: $drop, reason: $reason) { ...CurationAnswer }
}
"""
    + RESULT
)


def _link_change(kind: str, verb: str) -> str:
    """The `linkLesson`, `unlinkPractice`, ... mutation a link form sends."""
    field = f"{verb}{kind}"
    return (
        f"""
mutation Coordinator{verb.capitalize()}{kind}(
  $id: ID!, $relation: CuratedRelation!, $targetId: ID!, $expectedVersion: Int
) {{
  {field}(id: $id, relation: $relation, targetId: $targetId, expectedVersion: $expectedVersion) {{
    ...CurationAnswer
  }}
}}
"""
        + RESULT
    )


def _retraction(kind: str) -> str:
    """The `retractLesson` or `retractPractice` mutation the retract form sends."""
    return (
        f"""
mutation CoordinatorRetract{kind}($id: ID!, $expectedVersion: Int!, $reason: String!) {{
  retract{kind}(id: $id, expectedVersion: $expectedVersion, reason: $reason) {{ ...CurationAnswer }}
}}
"""
        + RESULT
    )


LINK_LESSON = _link_change("Lesson", "link")
UNLINK_LESSON = _link_change("Lesson", "unlink")
RETRACT_LESSON = _retraction("Lesson")
LINK_PRACTICE = _link_change("Practice", "link")
UNLINK_PRACTICE = _link_change("Practice", "unlink")
RETRACT_PRACTICE = _retraction("Practice")

UNMERGE = (
    """
mutation CoordinatorUnmerge($keep: ID!, $drop: ID!) {
  unmergeBodies(keep: $keep, drop: $drop) { ...CurationAnswer }
}
"""
    + RESULT
)
