/**
 * Orders tables so that every table comes after the tables its foreign keys reference:
 * a restore that inserts in this order never trips a constraint. Ties keep name order,
 * so two snapshots of one schema list tables alike.
 */
export const parentsFirst = (tables: readonly string[], references: readonly { child: string; parent: string }[]): string[] => {
  const pending = new Set([...tables].sort());
  const ordered: string[] = [];
  while (pending.size > 0) {
    const ready = [...pending].filter((table) =>
      references.every((reference) => reference.child !== table || reference.parent === table || !pending.has(reference.parent)),
    );
    // A reference cycle (none exists today) would stall the loop: take the rest as they are.
    const next = ready.length > 0 ? ready : [...pending];
    for (const table of next) {
      pending.delete(table);
      ordered.push(table);
    }
  }
  return ordered;
};

/** Quotes an identifier read from the schema for both engines' SQL. */
export const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export const SNAPSHOT_BATCH_ROWS = 500;

/** The migration log is the target's own: a restore migrates the target instead of copying it. */
export const MIGRATION_LOG_TABLE = 'schema_migrations';
