import pg from 'pg';
import { translateDriverError, type SqlDriver, type SqlExecutor, type SqlValue } from '../sql/sql-driver.js';

// BIGINT microsecond timestamps fit in a double for the next 285 years.
pg.types.setTypeParser(20, (value: string) => Number(value));

const numbered = new Map<string, string>();
/** Rewrites `?` placeholders to `$n` once per SQL text. */
const toPostgres = (sql: string): string => {
  let converted = numbered.get(sql);
  if (converted === undefined) {
    let index = 0;
    converted = sql.replace(/\?/g, () => `$${(index += 1)}`);
    numbered.set(sql, converted);
  }
  return converted;
};

type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

const executor = (target: Queryable): SqlExecutor => {
  const query = async <T>(sql: string, params: readonly SqlValue[] = []) => {
    try {
      return await target.query(toPostgres(sql), params as unknown[]);
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

/** READ COMMITTED transactions; repositories take explicit row locks where order matters. */
export const openPostgresDriver = (url: string, poolSize: number): SqlDriver => {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  // An idle client losing its connection must not crash the process.
  pool.on('error', () => {});
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
      try {
        await client.query('BEGIN');
        const result = await fn(executor(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw translateDriverError(error);
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
};
