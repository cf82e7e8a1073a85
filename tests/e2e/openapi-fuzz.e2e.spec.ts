import { groupFailures, summarise, writeFindings } from '../support/fuzz/findings';
import { type FuzzContext } from '../support/fuzz/fuzz-context';
import { buildFuzzContext } from '../support/fuzz/fuzz-fixtures';
import { createSender } from '../support/fuzz/http-sender';
import { namedCases } from '../support/fuzz/named-cases';
import { type OpenApiDocument, type Operation, operationsOf } from '../support/fuzz/openapi';
import { Rng } from '../support/fuzz/prng';
import { buildRequest } from '../support/fuzz/request.builder';
import { type Failure, failureOf, problemsOf } from '../support/fuzz/response.checks';
import { startStack, type Stack } from '../support/stack';

// Fixed by default so CI replays the same requests; FUZZ_SEED=random explores, FUZZ_SEED=<n> replays a run.
const SEED =
  process.env.FUZZ_SEED === 'random'
    ? Math.floor(Math.random() * 2 ** 31)
    : Number(process.env.FUZZ_SEED ?? 20_261_203);
const FUZZ_MS = Number(process.env.FUZZ_SECONDS ?? 70) * 1000;
const CONCURRENCY = 8;
const FINDINGS_FILE = process.env.FUZZ_FINDINGS_FILE ?? '/tmp/tautline-fuzz-findings.md';
const JWT_SECRET = 'fuzz-jwt-secret-fuzz-jwt-secret-fuzz-jwt-secret';
const WEBHOOK_SECRET = 'fuzz-webhook-secret-fuzz-webhook-secret-0001';

/**
 * Every operation of the API's own OpenAPI document, thousands of generated bad inputs (wrong types,
 * control characters, out-of-range dates and numbers, bad ids and percent-encoding, oversized
 * strings, arrays, nesting, headers and bodies, forged credentials) against the built api and worker:
 * no answer is a 5xx, every 4xx is RFC 9457 problem+json, no error echoes a NUL byte or the query
 * string, and input that breaks the contract is never accepted.
 */
describe('OpenAPI-driven fuzzing of the built api', () => {
  let stack: Stack;
  let operations: Operation[];
  let docGaps: string[];
  let ctx: FuzzContext;

  beforeAll(async () => {
    stack = await startStack('e2e-fuzz', {
      env: {
        JWT_SECRET,
        SMS_WEBHOOK_SECRET: WEBHOOK_SECRET,
        LOG_LEVEL: 'error',
        // The fuzzer is one caller sending thousands of requests: limits would hide validation behind 429s.
        LOGIN_LIMIT_PER_MINUTE: '10000',
        RATE_LIMIT_SLOTS_PER_MINUTE: '100000',
        RATE_LIMIT_BOOKINGS_PER_MINUTE: '100000',
        RATE_LIMIT_NOTICES_PER_MINUTE: '100000',
        RATE_LIMIT_PATIENT_SEARCH_PER_MINUTE: '100000',
        RATE_LIMIT_PATIENT_LINK_SLOTS_PER_MINUTE: '100000',
      },
    });
    const doc = (await (await fetch(`${stack.apiUrl}/api/docs-json`)).json()) as OpenApiDocument;
    ({ operations, docGaps } = operationsOf(doc));
    ctx = await buildFuzzContext(stack, { jwtSecret: JWT_SECRET, webhookSecret: WEBHOOK_SECRET });
  }, 90_000);

  afterAll(async () => {
    await stack?.stop();
  });

  // The named cases' failures also go to the findings file the fuzz run writes.
  const namedFailures: Failure[] = [];

  it('answers each bad input the issue names with a 4xx problem', async () => {
    const sender = createSender(stack.apiUrl);
    const answers = [];
    for (const req of namedCases(ctx, operations)) {
      const res = await sender.send(req.method, req.url, req.headers, req.body);
      const problems = problemsOf(req, res);
      if (res.status < 400 && !problems.length) problems.push(`answered ${res.status}`);
      namedFailures.push(...problems.map((p) => failureOf(req, res, p)));
      answers.push({ case: req.mutation, status: res.status, problems });
    }
    sender.close();
    expect(answers.filter((a) => a.status < 400 || a.status >= 500 || a.problems.length)).toEqual(
      [],
    );
  });

  it(
    `answers every generated request without a 5xx, with problem+json on every error (seed ${SEED})`,
    async () => {
      expect(operations.length).toBeGreaterThan(50);
      const rng = new Rng(SEED);
      const sender = createSender(stack.apiUrl);
      const failures: Failure[] = [];
      const statuses: Record<string, number> = {};
      const perOperation: Record<string, number> = Object.fromEntries(
        operations.map((o) => [o.key, 0]),
      );
      const started = Date.now();
      let index = 0;
      let cycle: Operation[] = [];
      // Requests are generated one at a time from one PRNG, so a seed always yields the same sequence.
      const next = () => {
        if (!cycle.length) cycle = [...operations].sort(() => rng.next() - 0.5);
        const op = cycle.pop()!;
        perOperation[op.key] = (perOperation[op.key] ?? 0) + 1;
        return buildRequest(rng, ctx, op, index++);
      };
      const worker = async () => {
        while (Date.now() - started < FUZZ_MS) {
          const req = next();
          const res = await sender.send(req.method, req.url, req.headers, req.body);
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          for (const problem of problemsOf(req, res)) failures.push(failureOf(req, res, problem));
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      sender.close();

      const seconds = (Date.now() - started) / 1000;
      const groups = groupFailures(failures);
      writeFindings(FINDINGS_FILE, groupFailures([...namedFailures, ...failures]), {
        seed: SEED,
        requests: index,
        seconds,
        statuses,
        perOperation,
        docGaps,
      });
      const health = await fetch(`${stack.apiUrl}/api/health`);

      // Thousands of requests, every operation many times: a harness that sent nothing proves nothing.
      expect(index).toBeGreaterThan(2_000);
      expect(Object.entries(perOperation).filter(([, n]) => n < 15)).toEqual([]);
      expect(health.status).toBe(200);
      if (groups.length) {
        throw new Error(
          `${groups.length} distinct failures in ${index} requests (seed ${SEED}; all in ${FINDINGS_FILE}):\n${summarise(groups)}`,
        );
      }
    },
    FUZZ_MS + 40_000,
  );
});
