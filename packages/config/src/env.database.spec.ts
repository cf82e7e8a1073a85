import { loadEnv } from './env';

describe('database bounds in the environment', () => {
  it('has bounded defaults that fit together', () => {
    const env = loadEnv({});
    expect(env.DB_CONNECT_TIMEOUT_MS).toBe(5_000);
    expect(env.DB_STATEMENT_TIMEOUT_MS).toBe(10_000);
    expect(env.DB_QUERY_TIMEOUT_MS).toBe(20_000);
    expect(env.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS).toBe(30_000);
  });

  it('refuses a client timeout that would fire before the server cancels the statement', () => {
    expect(() =>
      loadEnv({ DB_STATEMENT_TIMEOUT_MS: '20000', DB_QUERY_TIMEOUT_MS: '20000' }),
    ).toThrow(/DB_QUERY_TIMEOUT_MS: must be longer than DB_STATEMENT_TIMEOUT_MS/);
  });

  it('refuses a client timeout that would cut a wait for a reminder send in flight', () => {
    expect(() =>
      loadEnv({
        MESSAGE_PROVIDER_TIMEOUT_MS: '10000',
        DB_STATEMENT_TIMEOUT_MS: '1000',
        DB_QUERY_TIMEOUT_MS: '12000',
      }),
    ).toThrow(
      /DB_QUERY_TIMEOUT_MS: must be longer than a wait for a reminder send in flight .*15000 ms/,
    );
    expect(
      loadEnv({
        MESSAGE_PROVIDER_TIMEOUT_MS: '100',
        DB_STATEMENT_TIMEOUT_MS: '1000',
        DB_QUERY_TIMEOUT_MS: '5200',
      }).DB_QUERY_TIMEOUT_MS,
    ).toBe(5_200);
  });

  it('refuses an idle-in-transaction cut shorter than one provider call', () => {
    expect(() =>
      loadEnv({ MESSAGE_PROVIDER_TIMEOUT_MS: '10000', DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: '10000' }),
    ).toThrow(/DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: must be longer than MESSAGE_PROVIDER_TIMEOUT_MS/);
  });
});
