import { createHash } from 'node:crypto';
import {
  type PostgresCursor,
  type PostgresPool,
  type PostgresPoolClient,
  type PostgresQueryResult,
  type RawBuilder,
  sql,
} from 'kysely';
import type { Pool, PoolClient } from 'pg';

/**
 * Named prepared statements for the few hot queries. Kysely sends every statement unnamed, so
 * PostgreSQL parses, analyses and plans it on every execution; for the warm read (the provision
 * joined with its janitor mark and creation progress) that planning is most of the database's
 * work: about 170 µs of backend CPU a query unnamed, about 25 µs prepared (docs/performance.md).
 *
 * A query opts in by ending with the `PREPARE` marker (`.modifyEnd(PREPARE)`); this pool then
 * sends it as a named statement (the name is a hash of its text), which `pg` parses once per
 * connection and PostgreSQL plans once it has seen it a few times. Only queries whose text is
 * fixed may opt in (one statement per connection and text, kept as long as the connection).
 *
 * A prepared statement outlives a migration: a table that gained a column makes PostgreSQL refuse
 * the old statement ("cached plan must not change result type", 0A000). Such a query is sent
 * again unnamed, and that text is never prepared again by this process.
 */
const MARKER = '/* askp:prepare */';
const PREPARE: RawBuilder<unknown> = sql.raw(MARKER);

/** Texts PostgreSQL refused to re-use after a schema change: sent unnamed from then on. */
const stale = new Set<string>();
const names = new Map<string, string>();

const nameOf = (text: string): string | undefined => {
  if (!text.endsWith(MARKER) || stale.has(text)) return undefined;
  let name = names.get(text);
  if (name === undefined) {
    name = `askp_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
};

const isStalePlan = (error: unknown): boolean =>
  error instanceof Error &&
  Reflect.get(error, 'code') === '0A000' &&
  /cached plan must not change result type/.test(error.message);

const COMMANDS = new Set(['UPDATE', 'DELETE', 'INSERT', 'SELECT', 'MERGE', 'COMMIT', 'ROLLBACK']);
type Command = PostgresQueryResult<unknown>['command'];
const isCommand = (command: string): command is Command => COMMANDS.has(command);

class PreparingClient implements PostgresPoolClient {
  /** The same client as Kysely sees it (pg's overloads satisfy Kysely's interface). */
  private readonly plain: PostgresPoolClient;

  public constructor(private readonly client: PoolClient) {
    this.plain = client;
  }

  public query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
  public query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  public query<R>(
    query: string | PostgresCursor<R>,
    parameters: ReadonlyArray<unknown> = [],
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    if (typeof query !== 'string') return this.plain.query(query);
    const name = nameOf(query);
    if (name === undefined) return this.plain.query<R>(query, parameters);
    return this.named<R>(name, query, parameters);
  }

  public release(destroy?: boolean): void {
    this.client.release(destroy);
  }

  private async named<R>(
    name: string,
    text: string,
    parameters: ReadonlyArray<unknown>,
  ): Promise<PostgresQueryResult<R>> {
    try {
      const result = await this.client.query({ name, text, values: [...parameters] });
      const command = result.command;
      if (!isCommand(command)) throw new Error(`unexpected command ${command}`);
      // pg types rows by its own row type; the caller (Kysely) names the row type it compiled.
      const rows: R[] = result.rows;
      return { command, rowCount: result.rowCount ?? 0, rows };
    } catch (error) {
      if (!isStalePlan(error)) throw error;
      stale.add(text);
      return this.plain.query<R>(text, parameters);
    }
  }
}

/** The pool Kysely is given: `pg`'s, with marked queries sent as named prepared statements. */
const preparingPool = (pool: Pool): PostgresPool => ({
  connect: async () => new PreparingClient(await pool.connect()),
  end: () => pool.end(),
});

export { PREPARE, preparingPool };
