/**
 * The pre-receive hook every hosted repository gets. The forge tells it
 * which refs are protected for this push through FORGE_PROTECTED_REFS
 * (space-separated); a push to one of them is declined with GitHub's words.
 */
export const PRE_RECEIVE_HOOK = `#!/bin/sh
status=0
while read old new ref; do
  for p in $FORGE_PROTECTED_REFS; do
    if [ "$ref" = "$p" ]; then
      echo "error: GH006: Protected branch update failed for $ref." >&2
      echo "error: protected branch hook declined" >&2
      status=1
    fi
  done
done
exit $status
`;
