// Integration tests talk to real Postgres, Redis and Kafka, and several of them restart a broker
// or wait for a consumer-group rebalance: they get a minute instead of Jest's default 5 s. Jest
// reads `testTimeout` only from the root of its configuration, not per project, hence this file.
jest.setTimeout(60_000);
