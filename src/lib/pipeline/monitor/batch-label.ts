// How a monitored batch is named in reports, the audit log and the Monitor view.

/** "flights.csv", "weather v2", or "weather v3 (the rows its append added)". */
export function batchLabel(batch: { kind: 'file'; fileName: string } | { kind: 'version'; label: string; appendedOnly: boolean }): string {
  if (batch.kind === 'file') return batch.fileName;
  return batch.appendedOnly ? `${batch.label} (the rows its append added)` : batch.label;
}
