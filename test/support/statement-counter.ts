import type {
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';

/**
 * Counts the statements a Kysely instance sends (`db.withPlugin(counter)`), by kind (select,
 * insert, update, delete, raw `sql`), for tests and the bench that prove how many database round
 * trips a path costs. A transaction's BEGIN and COMMIT are not statements Kysely compiles, so
 * they are not counted here. `count` (and byKind, raw) see every statement Kysely compiles;
 * `answered` counts the results that come back, so a query compiled once and sent many times
 * (the warm provision read) counts once per round trip there, and not in `count`.
 */
class StatementCounter implements KyselyPlugin {
  public count = 0;
  public readonly byKind = new Map<string, number>();
  /** The text of every raw (`sql` template) statement, in order, whitespace collapsed. */
  public readonly raw: string[] = [];
  /** The statements the database answered: counted when a result comes back. */
  public answered = 0;
  /** While set, the outbox's "sent" update does not complete (its result waits for this). */
  public holdOutboxMarks: Promise<void> | undefined;
  private readonly held = new Set<unknown>();

  public transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.count += 1;
    const kind = args.node.kind.replace(/QueryNode$|Node$/, '');
    this.byKind.set(kind, (this.byKind.get(kind) ?? 0) + 1);
    if (args.node.kind === 'RawNode')
      this.raw.push(args.node.sqlFragments.join('?').replace(/\s+/g, ' ').trim());
    if (
      this.holdOutboxMarks !== undefined &&
      args.node.kind === 'UpdateQueryNode' &&
      JSON.stringify(args.node.table).includes('"outbox"')
    )
      this.held.add(args.queryId);
    return args.node;
  }

  public async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.held.delete(args.queryId)) await this.holdOutboxMarks;
    this.answered += 1;
    return args.result;
  }

  public reset(): void {
    this.count = 0;
    this.answered = 0;
    this.byKind.clear();
    this.raw.length = 0;
  }
}

export { StatementCounter };
