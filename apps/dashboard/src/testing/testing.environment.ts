import JSDOMEnvironment from 'jest-environment-jsdom';

/**
 * jsdom with Node's own `fetch`. jsdom has no fetch, and a jsdom test file cannot reach Node's:
 * its globals are the jsdom window. This class is loaded by Jest in Node's own context, outside the
 * test's sandbox, so `fetch`, `Headers`, `Request` and `Response` here are Node's (undici), and we hand
 * them to the window. Components then make real HTTP requests to the server a test starts
 * (`testing.server.ts`); nothing stands in for the network.
 */
export default class JsdomWithFetchEnvironment extends JSDOMEnvironment {
  constructor(...args: ConstructorParameters<typeof JSDOMEnvironment>) {
    super(...args);
    Object.assign(this.global, { fetch, Headers, Request, Response });
  }
}
