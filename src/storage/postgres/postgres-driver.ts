import { createHash } from 'node:crypto';
import pg from 'pg';
import { BoundedCache } from '../sql/bounded-cache.js';
import { translateDriverError, type SqlDriver, type SqlExecutor, type SqlValue } from '../sql/sql-driver.js';

const INT8_OID = 20;

// Per pool rather than pg's global registry, so other pg users in the process are not
// affected. BIGINT microsecond timestamps fit in a double for the next 285 years.
const typeOverrides = new pg.TypeOverrides();
typeOverrides.setTypeParser(INT8_OID, (value: string) => Number(value));

const numbered = new BoundedCache<string>(500);
/** Rewrites `?` placeholders to `$n`, leaving quoted literals and identifiers alone. */
export const toPostgresPlaceholders = (sql: string): string =>
  numbered.getOrCreate(sql, (text) => {
    let index = 0;
    return text.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\?/g, (match) => (match === '?' ? `$${(index += 1)}` : match));
  });

const statementNames = new BoundedCache<string>(500);
/**
 * Statements with parameters run as named prepared statements: PostgreSQL then plans
 * them once per connection instead of on every call, which halved a secret read. The
 * name is a hash of the text, so the same SQL always gets the same name.
 */
const statementName = (sql: string): string =>
  statementNames.getOrCreate(sql, (text) => `coffer_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`);

type Queryable = pg.Pool | pg.PoolClient;

const executor = (target: Queryable): SqlExecutor => {
  const query = async (sql: string, params: readonly SqlValue[] = []): Promise<pg.QueryResult> => {
    try {
      const text = toPostgresPlaceholders(sql);
      // Parameterless SQL may hold several statements (migrations), which cannot be prepared.
      return params.length === 0 ? await target.query(text) : await target.query({ name: statementName(text), text, values: [...params] });
    } catch (error) {
      throw translateDriverError(error);
    }
  };
  return {
    all: async <T>(sql: string, params?: readonly SqlValue[]) => (await query(sql, params)).rows as T[],
    get: async <T>(sql: string, params?: readonly SqlValue[]) => (await query(sql, params)).rows[0] as T | undefined,
    run: async (sql: string, params?: readonly SqlValue[]) => ({ changes: (await query(sql, params)).rowCount ?? 0 }),
  };
};

export interface PostgresDriverOptions {
  url: string;
  poolSize: number;
}

/**
 * A pg pool. Transactions are READ COMMITTED on a dedicated client; repositories take
 * explicit `FOR UPDATE` row locks where order matters, which is what keeps revisions
 * gapless across processes.
 */
export const openPostgresDriver = ({ url, poolSize }: PostgresDriverOptions): SqlDriver => {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: 10_000,
    application_name: 'coffer',
    types: typeOverrides,
  });
  // An idle client losing its connection must not crash the process; the next query reports it.
  pool.on('error', () => {});
  let ended: Promise<void> | null = null;
  return {
    dialect: 'postgres',
    ...executor(pool),
    async transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw translateDriverError(error);
      }
      const tx = executor(client);
      // A client whose ROLLBACK failed is in an unknown state: it goes back destroyed.
      let broken: Error | undefined;
      try {
        await tx.run('BEGIN');
        const result = await fn(tx);
        await tx.run('COMMIT');
        return result;
      } catch (error) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          broken = rollbackError instanceof Error ? rollbackError : new Error('ROLLBACK failed');
        }
        // Statement errors were translated where they happened; the callback's own pass through.
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close: () => (ended ??= pool.end()),
  };
};
