"""One process's sessions share bookmarks: in a cluster, a read after a write sees the write."""

from graph.database import Database
from tests.conftest import GraphForTests


def test_reads_and_writes_share_the_process_bookmarks(graph: GraphForTests) -> None:
    async def work(database: Database) -> tuple[set[str], set[str], int]:
        before = set(await database.bookmarks.get_bookmarks())
        await database.write(lambda tx: tx.run("CREATE (:BookmarkProbe {id: 'probe'})"))
        after_write = set(await database.bookmarks.get_bookmarks())
        rows = await database.read("MATCH (p:BookmarkProbe) RETURN count(p) AS probes")
        return before, after_write, rows[0]["probes"]

    before, after_write, probes = graph.run(work)
    assert after_write and after_write != before  # the write's bookmark is the process's now
    assert probes == 1  # and the read that follows (sent with it) sees the write
    graph.query("MATCH (p:BookmarkProbe) DELETE p")
