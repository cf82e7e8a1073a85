// Component tests run in jsdom; the shared preset transpiles TSX with SWC and maps workspace packages to sources.
// A fixed TZ keeps the browser-local times (last live update) deterministic; clinic times use their own zones.
process.env.TZ = 'UTC';

const path = require('node:path');
const preset = require('@tautline/config/jest-preset');

// Tests talk to a real HTTP + socket.io server they start (src/testing/testing.server.ts), in the same
// jsdom test file, so one module graph holds browser code (the app) and Node code (the server):
//  - the app's socket.io-client must run its browser build, on jsdom's WebSocket: its package swaps
//    its Node transports for browser ones through the package.json "browser" field, which bundlers
//    honour and Jest does not; the package's own browser bundle (dist/socket.io.js) is that build;
//  - the server's `ws` must be the Node library: under the jsdom "browser" export condition it
//    resolves to a stub that throws. Resolved from engine.io, so it is the version socket.io uses.
const socketIoServer = require.resolve('socket.io');
const engineIo = require.resolve('engine.io', { paths: [path.dirname(socketIoServer)] });

module.exports = preset({
  // jsdom plus Node's own fetch (see the file).
  testEnvironment: '<rootDir>/src/testing/testing.environment.ts',
  setupFilesAfterEnv: ['<rootDir>/src/testing/testing.setup.ts'],
  moduleNameMapper: {
    ...preset().moduleNameMapper,
    '\\.css$': '<rootDir>/src/testing/style.stub.ts',
    '^socket\\.io-client$': require.resolve('socket.io-client/dist/socket.io.js'),
    '^ws$': require.resolve('ws', { paths: [path.dirname(engineIo)] }),
  },
});
