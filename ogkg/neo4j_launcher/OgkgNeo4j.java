// Runs an embedded Neo4j Community DBMS with Bolt on a loopback address until the process is told to stop.

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.io.ByteUnit;

/**
 * Usage: OgkgNeo4j RUN_DIR HOST BOLT_PORT PAGE_CACHE_MB TX_MEMORY_MB
 *
 * Keeps the database in RUN_DIR/dbms, its pid in RUN_DIR/neo4j.pid and its state ("starting PID",
 * "ready PID", "stopping PID") in RUN_DIR/neo4j.state; both files go when the process ends cleanly.
 * Prints one line per step to stdout: OGKG_NEO4J_STARTING (with the pid), OGKG_NEO4J_READY once Bolt
 * answers, OGKG_NEO4J_FAILED with the cause if the database cannot start (then exits 1), and
 * OGKG_NEO4J_STOPPING / OGKG_NEO4J_STOPPED around the clean shutdown that SIGTERM or SIGINT triggers.
 */
public final class OgkgNeo4j {
    private static final long PID = ProcessHandle.current().pid();
    private static String state = "";

    private OgkgNeo4j() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: OgkgNeo4j RUN_DIR HOST BOLT_PORT PAGE_CACHE_MB TX_MEMORY_MB");
            System.exit(2);
        }
        Path run = Path.of(args[0]).toAbsolutePath();
        String host = args[1];
        int port = Integer.parseInt(args[2]);
        long pageCacheMb = Long.parseLong(args[3]);
        long txMemoryMb = Long.parseLong(args[4]);
        Path home = run.resolve("dbms");
        Path pidFile = run.resolve("neo4j.pid");
        Path stateFile = run.resolve("neo4j.state");
        String bolt = "bolt://" + host + ":" + port;
        Files.createDirectories(home);

        AtomicReference<DatabaseManagementService> running = new AtomicReference<>();
        CountDownLatch built = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            setState(stateFile, "stopping");
            // A stop during start waits for the store to open, then closes it cleanly.
            awaitQuietly(built);
            DatabaseManagementService dbms = running.getAndSet(null);
            if (dbms != null) {
                say("OGKG_NEO4J_STOPPING pid " + PID);
                long began = System.nanoTime();
                dbms.shutdown();
                say("OGKG_NEO4J_STOPPED pid " + PID + " in " + (System.nanoTime() - began) / 1_000_000 + " ms");
            }
            deleteIfOurs(stateFile);
            deleteIfOurs(pidFile);
            stopped.countDown();
        }, "ogkg-neo4j-shutdown"));

        say("OGKG_NEO4J_STARTING pid " + PID + " " + bolt + " data " + home);
        writeAtomically(pidFile, PID + "\n");
        setState(stateFile, "starting");

        try {
            DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
                    .setConfig(BoltConnector.enabled, true)
                    .setConfig(BoltConnector.listen_address, new SocketAddress(host, port))
                    .setConfig(BoltConnector.advertised_address, new SocketAddress(host, port))
                    .setConfig(HttpConnector.enabled, false)
                    .setConfig(HttpsConnector.enabled, false)
                    .setConfig(GraphDatabaseSettings.auth_enabled, false)
                    .setConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pageCacheMb))
                    .setConfig(GraphDatabaseSettings.memory_transaction_global_max_size, ByteUnit.mebiBytes(txMemoryMb))
                    .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                    // Bolt's two Netty event-loop groups each wait this quiet period (default 5 s) on
                    // shutdown, after every connection is already closed: 10 s of a stop for nothing.
                    .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0)
                    .build();
            running.set(dbms);
            built.countDown();
            dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
        } catch (Throwable failure) {
            built.countDown();
            if (stopping()) {
                return; // Told to stop while starting: the shutdown hook finishes the job.
            }
            say("OGKG_NEO4J_FAILED pid " + PID + ": " + cause(failure));
            failure.printStackTrace(System.out);
            System.out.flush();
            System.exit(1); // The shutdown hook stops what did start and removes the pid file.
        }
        if (setState(stateFile, "ready")) {
            say("OGKG_NEO4J_READY pid " + PID + " " + bolt);
        }
        stopped.await();
    }

    /**
     * The innermost message of the chain, which names the actual problem, after the nearest outer
     * message that adds to it: "An error occurred while trying to bind to the socket /127.0.0.1:7687:
     * bind(..) failed with error(-98): Address already in use".
     */
    static String cause(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable link = failure; link != null && messages.size() < 50; link = link.getCause()) {
            if (link.getMessage() != null && !link.getMessage().isBlank()) {
                messages.add(link.getMessage().replace('\n', ' ').strip());
            }
        }
        if (messages.isEmpty()) {
            return failure.toString();
        }
        String innermost = messages.get(messages.size() - 1);
        for (int i = messages.size() - 2; i >= 0; i--) {
            if (!messages.get(i).contains(innermost)) {
                return messages.get(i) + ": " + innermost;
            }
        }
        return innermost;
    }

    static synchronized boolean stopping() {
        return state.equals("stopping");
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static void say(String line) {
        System.out.println(Instant.now() + " " + line);
        System.out.flush();
    }

    /** Record the state unless a stop has begun (a stopping process never reads as ready again). */
    static synchronized boolean setState(Path stateFile, String next) {
        if (state.equals("stopping")) {
            return false;
        }
        state = next;
        writeAtomically(stateFile, next + " " + PID + "\n");
        return true;
    }

    static void writeAtomically(Path file, String content) {
        try {
            Path partial = file.resolveSibling(file.getFileName() + "." + PID + ".partial");
            Files.writeString(partial, content, StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException error) {
            say("OGKG_NEO4J_WARNING could not write " + file + ": " + error.getMessage());
        }
    }

    /** Delete a pid or state file only while it still names this process. */
    static void deleteIfOurs(Path file) {
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (content.equals(Long.toString(PID)) || content.endsWith(" " + PID)) {
                Files.delete(file);
            }
        } catch (IOException gone) {
            // Already gone, or never written: nothing to clean up.
        }
    }
}
