import { NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';
import { Problem } from './problem';
import { toProblem } from './problem.filter';

describe('toProblem', () => {
  it('keeps the fields of a Problem', () => {
    const p = toProblem(new Problem(409, 'Conflict', 'taken', undefined, { resource: 'room' }), '/x');
    expect(p).toEqual({ type: 'about:blank', title: 'Conflict', status: 409, detail: 'taken', instance: '/x', resource: 'room' });
  });

  it('maps Nest and Fastify client errors to their status', () => {
    expect(toProblem(new NotFoundException('Cannot GET /nope')).status).toBe(404);
    expect(toProblem(Object.assign(new Error('Unsupported Media Type'), { statusCode: 415 })).status).toBe(415);
  });

  it('answers an exhausted connection pool with 503, not 500', () => {
    expect(toProblem(new Error('timeout exceeded when trying to connect')).status).toBe(503);
  });

  it('never shows internals of a 500, such as a failed query and its values', () => {
    const failed = new QueryFailedError('INSERT INTO patients VALUES ($1)', ['Olivia Marsh'], new Error('boom'));
    const p = toProblem(failed);
    expect(p.status).toBe(500);
    expect(JSON.stringify(p)).not.toMatch(/Olivia|INSERT|boom/);
  });
});
