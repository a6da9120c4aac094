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
 * they are not counted here.
 */
class StatementCounter implements KyselyPlugin {
  public count = 0;
  public readonly byKind = new Map<string, number>();
  /** The text of every raw (`sql` template) statement, in order, whitespace collapsed. */
  public readonly raw: string[] = [];

  public transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.count += 1;
    const kind = args.node.kind.replace(/QueryNode$|Node$/, '');
    this.byKind.set(kind, (this.byKind.get(kind) ?? 0) + 1);
    if (args.node.kind === 'RawNode')
      this.raw.push(args.node.sqlFragments.join('?').replace(/\s+/g, ' ').trim());
    return args.node;
  }

  public async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }

  public reset(): void {
    this.count = 0;
    this.byKind.clear();
    this.raw.length = 0;
  }
}

export { StatementCounter };
