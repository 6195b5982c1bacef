// The commit a repository has checked out, read from its files without
// starting git (lib/history/git.ts), against what git itself says, in the
// layouts a project may be checked out in; and no answer where git must give it.
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { checkedOutCommit } from "../lib/history/git.ts";
import { commitAll, git, gitInit, projectCopy } from "../scripts/harness/project.ts";

async function repository() {
  const project = gitInit((await projectCopy("privacy-head-")).root);
  commitAll(project, "The sources", "2024-01-10");
  commitAll(project, "A second commit", "2024-02-01");
  return project;
}
const head = (folder: string) => git(folder, ["rev-parse", "HEAD"]).trim();

describe("the commit checked out, read without git", () => {
  test("is git's HEAD on a branch, after the refs are packed, and detached", async () => {
    const { root, input } = await repository();
    assert.equal(checkedOutCommit(input)?.commit, head(root));
    assert.equal(checkedOutCommit(input)?.root, root);
    git(root, ["pack-refs", "--all"]);
    assert.equal(checkedOutCommit(input)?.commit, head(root));
    git(root, ["checkout", "--quiet", "--detach", "HEAD~1"]);
    assert.equal(checkedOutCommit(input)?.commit, head(root));
  });

  test("is the linked work tree's own HEAD", async () => {
    const { root } = await repository();
    const worktree = join(await mkdtemp(join(tmpdir(), "privacy-worktree-")), "tree");
    git(root, ["worktree", "add", "--quiet", "--detach", worktree, "HEAD~1"]);
    assert.notEqual(head(worktree), head(root));
    assert.equal(checkedOutCommit(join(worktree, "src"))?.commit, head(worktree));
  });

  test("is left to git in a shallow clone, with git's variables set, before the first commit, and outside a repository", async () => {
    const { root } = await repository();
    const shallow = join(await mkdtemp(join(tmpdir(), "privacy-shallow-head-")), "clone");
    git(root, ["clone", "--quiet", "--depth=1", `file://${root}`, shallow]);
    assert.equal(checkedOutCommit(shallow), undefined);
    process.env.GIT_DIR = join(root, ".git");
    try {
      assert.equal(checkedOutCommit(root), undefined);
    } finally {
      delete process.env.GIT_DIR;
    }
    const empty = gitInit((await projectCopy("privacy-unborn-")).root);
    assert.equal(checkedOutCommit(empty.input), undefined);
    assert.equal(checkedOutCommit((await projectCopy("privacy-no-repo-")).input), undefined);
  });
});
