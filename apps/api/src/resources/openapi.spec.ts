import { startTestApp, type TestApp } from '../testing/test-app';

describe('OpenAPI of resources and availability', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp('resources-openapi');
  });
  afterAll(() => t.close());

  it('documents every resource and availability route in OpenAPI, with request and response schemas', async () => {
    const doc = await (await t.request('/api/docs-json')).json();
    const routes: Record<string, string[]> = {
      '/api/v1/clinics/{clinicId}/rooms': ['get', 'post'],
      '/api/v1/rooms/{id}': ['get', 'patch', 'delete'],
      '/api/v1/practitioners': ['get', 'post'],
      '/api/v1/practitioners/{id}': ['get', 'patch'],
      '/api/v1/appointment-types': ['get', 'post'],
      '/api/v1/appointment-types/{id}': ['get', 'patch'],
      '/api/v1/practitioners/{id}/availability': ['get'],
      '/api/v1/practitioners/{id}/availability-rules': ['post'],
      '/api/v1/availability-rules/{id}': ['delete'],
      '/api/v1/practitioners/{id}/availability-exceptions': ['post'],
      '/api/v1/availability-exceptions/{id}': ['delete'],
      '/api/v1/clinics/{clinicId}/closures': ['get', 'post'],
      '/api/v1/closures/{id}': ['delete'],
    };
    for (const [path, methods] of Object.entries(routes)) {
      for (const method of methods) {
        const operation = doc.paths[path]?.[method];
        expect({ path, method, summary: typeof operation?.summary }).toEqual({
          path,
          method,
          summary: 'string',
        });
        expect(operation.security).toEqual([{ bearer: [] }]);
        if (method === 'post' || method === 'patch') {
          expect(operation.requestBody.content['application/json'].schema.properties).toBeDefined();
        }
        expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403']));
      }
    }
    const room = doc.paths['/api/v1/clinics/{clinicId}/rooms'].post;
    expect(room.requestBody.content['application/json'].schema.required).toEqual(['name']);
    expect(
      room.responses['201'].schema ?? room.responses['201'].content['application/json'].schema,
    ).toBeDefined();
  });
});
