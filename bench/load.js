'use strict';
// One load run against one target with autocannon; prints one JSON line of results.
// Called by SendPlans.Bench (bench/run.sh): node bench/load.js '<json config>'.
//
// Config: { url, token, activity, connections, durationSeconds, amount } (amount > 0: that many
// requests, else durationSeconds); the bench runs the warm-up as a run of its own.
//  - every request is a `help` message with its own activity id ("<run>-<n>"), because the
//    bot dedupes by id and a repeated id would be answered without doing the turn;
//  - every request carries the same bearer token (signed once: Teams reuses tokens too).
// The ids are set in setupRequest rather than with autocannon's idReplacement: that option
// sizes Content-Length for a 27-character id, while its ids are 24 to 30 characters long.
const autocannon = require('autocannon');

const config = JSON.parse(process.argv[2]);
const run = `${process.pid.toString(36)}${Date.now().toString(36)}`;
let counter = 0;

function activityBody() {
  const activity = { ...config.activity, id: `${run}-${++counter}` };
  return JSON.stringify(activity);
}

function once(limits) {
  const instance = autocannon({
    url: config.url,
    method: 'POST',
    connections: config.connections,
    pipelining: 1,
    timeout: 10,
    ...limits,
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${config.token}`,
    },
    requests: [{ setupRequest: (request) => ({ ...request, body: activityBody() }) }],
  });
  // Every 2xx latency, so the bench can merge runs (its interleaved rounds) into exact percentiles.
  instance.on('response', (client, status, bytes, ms) => {
    if (status >= 200 && status < 300) latencies.push(Math.round(ms * 100) / 100);
  });
  return instance;
}
const latencies = [];

(async () => {
  const r = await once(config.amount > 0 ? { amount: config.amount } : { duration: config.durationSeconds });
  const ok = r['2xx'];
  console.log(JSON.stringify({
    requests: r.requests.total,
    ok,
    durationSeconds: r.duration,
    requestsPerSecond: ok / r.duration,
    latencyMs: {
      p50: r.latency.p50,
      p90: r.latency.p90,
      p99: r.latency.p99,
      max: r.latency.max,
      mean: r.latency.average,
    },
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, s]) => [code, s.count])),
    latenciesMs: latencies,
  }));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
