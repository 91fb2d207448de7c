import { stat } from "../fs-async.js";
import { shellQuote } from "./paths.js";

/**
 * A warning when a config file found by the search belongs to another user: such a file is
 * ignored, as git ignores a repository owned by someone else (`safe.directory`), because whoever
 * owns it decides where evsend sends your data. Root's files are trusted (root could change
 * yours anyway). Undefined when the file is yours, root's, absent, or `uid` is unknown (Windows).
 */
export async function ownerWarning(
  filepath: string,
  uid: number | undefined,
): Promise<string | undefined> {
  if (uid === undefined) return undefined;
  let owner: number;
  try {
    owner = (await stat(filepath)).uid;
  } catch {
    return undefined; // absent or unreadable: reading it reports that
  }
  if (owner === uid || owner === 0) return undefined;
  return `ignoring ${filepath}: it belongs to another user (uid ${owner}, you are ${uid}), and evsend reads only config files owned by you or root; if you trust it, pass --config ${shellQuote(filepath)}`;
}
