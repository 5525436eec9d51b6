// The peer: @neo4j/graphql over ogkg's Neo4j, served by graphql-yoga on loopback.
// Environment: NEO4J_URI (required), NEO4J_USER / NEO4J_PASSWORD (when the server has auth), PORT.
// Prints "ready <url>" on stdout once the schema is built; `--check` builds the schema and exits.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { Neo4jGraphQL } from "@neo4j/graphql";
import { createYoga } from "graphql-yoga";
import neo4j from "neo4j-driver";

const typeDefs = readFileSync(new URL("./schema.graphql", import.meta.url), "utf8");
const uri = process.env.NEO4J_URI ?? "bolt://127.0.0.1:7687";
const auth = process.env.NEO4J_PASSWORD
  ? neo4j.auth.basic(process.env.NEO4J_USER ?? "neo4j", process.env.NEO4J_PASSWORD)
  : undefined;
const driver = neo4j.driver(uri, auth);
const schema = await new Neo4jGraphQL({ typeDefs, driver }).getSchema();

if (process.argv.includes("--check")) {
  await driver.close();
  console.log("schema ok");
  process.exit(0);
}

const yoga = createYoga({ schema, graphiql: false, logging: "warn", landingPage: false });
const server = createServer(yoga);
const port = Number(process.env.PORT ?? 4000);
server.listen(port, "127.0.0.1", () => console.log(`ready http://127.0.0.1:${port}/graphql`));

async function stop() {
  server.close();
  await driver.close();
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
