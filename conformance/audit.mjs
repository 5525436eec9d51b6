// Runs the graphql-http server audit (GraphQL over HTTP spec) against a URL; exits 1 on any MUST failure.
import { serverAudits } from 'graphql-http';
const url = process.argv[2];
let failedMust = 0, passed = 0, warned = 0;
for (const audit of serverAudits({ url, fetchFn: fetch })) {
  const result = await audit.fn();
  if (result.status === 'ok') passed++;
  else if (result.status === 'warn') { warned++; console.log(`WARN ${audit.name}: ${result.reason}`); }
  else { if (audit.name.startsWith('MUST')) failedMust++; console.log(`ERROR ${audit.name}: ${result.reason}`); }
}
console.log(`${passed} ok, ${warned} warnings, ${failedMust} MUST failures`);
process.exit(failedMust ? 1 : 0);
