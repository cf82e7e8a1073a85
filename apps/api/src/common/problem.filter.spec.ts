import { NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { isDatabaseUnavailable } from './pg-errors';
import { notFound, Problem } from './problem';
import { toProblem } from './problem.filter';
import { safeInstance } from './problem.instance';

describe('toProblem', () => {
  it('keeps the fields of a Problem', () => {
    const p = toProblem(
      new Problem(409, 'Conflict', 'taken', undefined, { resource: 'room' }),
      '/x',
    );
    expect(p).toEqual({
      type: 'about:blank',
      title: 'Conflict',
      status: 409,
      detail: 'taken',
      instance: '/x',
      resource: 'room',
    });
  });

  it('echoes an id in a 404 only when it looks like one (no NUL, no long token)', () => {
    expect(notFound('room', 'a1b2-c3').detail).toBe('room a1b2-c3 was not found');
    expect(notFound('calendar feed', '\u0000').detail).toBe('calendar feed was not found');
    expect(notFound('link', 'x'.repeat(65)).detail).toBe('link was not found');
  });

  it('maps Nest and Fastify client errors to their status', () => {
    expect(toProblem(new NotFoundException('Cannot GET /nope')).status).toBe(404);
    expect(
      toProblem(Object.assign(new Error('Unsupported Media Type'), { statusCode: 415 })).status,
    ).toBe(415);
  });

  it('answers an exhausted connection pool with 503, not 500', () => {
    expect(toProblem(new Error('timeout exceeded when trying to connect')).status).toBe(503);
  });

  it('never shows internals of a 500, such as a failed query and its values', () => {
    const failed = new QueryFailedError(
      'INSERT INTO patients VALUES ($1)',
      ['Olivia Marsh'],
      new Error('boom'),
    );
    const p = toProblem(failed);
    expect(p.status).toBe(500);
    expect(JSON.stringify(p)).not.toMatch(/Olivia|INSERT|boom/);
  });
});

describe('database unavailable → 503', () => {
  const unavailable = [
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
    new Error('Connection terminated unexpectedly'),
    new Error('Connection terminated due to connection timeout', {
      cause: new Error('timeout expired'),
    }),
    new QueryFailedError('SELECT 1', [], new Error('Query read timeout')),
    new QueryFailedError(
      'SELECT 1',
      [],
      Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
    ),
    Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
    }),
    Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
    Object.assign(new Error('connection failure'), { code: '08006' }),
    new AggregateError([
      Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' }),
    ]),
  ];

  it.each(unavailable.map((e) => [e.message || e.constructor.name, e]))('%s', (_message, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    const p = toProblem(error, '/api/v1/clinics');
    expect(p).toMatchObject({
      status: 503,
      title: 'Service Unavailable',
      instance: '/api/v1/clinics',
    });
    expect(JSON.stringify(p)).not.toMatch(/ECONN|5432|timeout|terminat/);
  });

  it('keeps real bugs and constraint violations out of it', () => {
    expect(isDatabaseUnavailable(new Error('boom'))).toBe(false);
    const unique = new QueryFailedError(
      'INSERT',
      [],
      Object.assign(new Error('duplicate key'), { code: '23505' }),
    );
    expect(isDatabaseUnavailable(unique)).toBe(false);
    expect(toProblem(unique).status).toBe(500);
  });
});

describe('safeInstance', () => {
  it('drops the query string and redacts link tokens and over-long segments', () => {
    expect(safeInstance('/api/v1/clinics?q=Olivia')).toBe('/api/v1/clinics');
    expect(safeInstance('/api/v1/patient-links/abc.def/confirm?x=1')).toBe(
      '/api/v1/patient-links/:redacted/confirm',
    );
    expect(safeInstance(`/api/v1/rooms/${'z'.repeat(80)}`)).toBe('/api/v1/rooms/:redacted');
    expect(safeInstance(undefined)).toBeUndefined();
  });
});
