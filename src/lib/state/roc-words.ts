// The ROC curve's words: which class it counts as positive (a binary model's second class, as its AUC does).

/** The positive class of a binary evaluation's ROC curve and AUC: the second of its two classes, or null. */
export function rocPositiveClass(classes: readonly string[]): string | null {
  return classes.length === 2 ? (classes[1] as string) : null;
}

/** The note under the curve: 'Positive class: "yes" (against "no"); …'. */
export function rocCaption(classes: readonly string[]): string {
  const positive = rocPositiveClass(classes);
  if (positive === null) return 'A ROC curve needs exactly two classes.';
  return `Positive class: “${positive}” (against “${classes[0]}”). Each point is a decision threshold: the share of actual “${positive}” rows caught against the share of “${classes[0]}” rows wrongly flagged; the dashed diagonal is guessing.`;
}
