/** Appended to findings diff-only lint could not decide: the source-aware lint can. */
export const SOURCE_HINT =
  "; `lpctl lint --target ID` or `--source DIR` decides this from the kernel source";
