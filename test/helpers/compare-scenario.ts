/**
 * A small ctsim compare scenario for sweep tests: the host itself and one container on
 * one host, two cheap workloads, a two-value matrix and one claim — about 0.3 s of real
 * time per run, no VM.
 */
export const SMALL_SCENARIO = `version: 1
name: small
seed: 7
hosts:
  - name: h
    cpus: 2
    memory: 1GiB
instances:
  - name: host
    kind: native
  - name: c1
    kind: container
workloads:
  - name: spin
    kind: cpu
    ops: 200
  - name: forks
    kind: fork
    ops: 5
matrix:
  c1.network: [bridge, host]
expect:
  - claim: the container spins no faster than half the host's time
    source: test
    metric: spin
    lower: host
    higher: c1
    factor: 0.5
`;

/** The compiled worker entry (npm test builds dist/ before vitest runs), for tests that spread runs over threads. */
export const BUILT_WORKER_URL = new URL('../../dist/cli/compare-worker.js', import.meta.url);
