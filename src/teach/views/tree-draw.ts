/**
 * Trees as lines of text, drawn the way util-linux (findmnt, lsns -T) and psmisc
 * (pstree) draw them in the C locale ctsim runs in: ASCII connectors "|-" for a child
 * with siblings below it, "`-" for the last child, and "| " or "  " continuing the
 * columns of the ancestors. The namespace and cgroup views, and compare's report,
 * share this one shape.
 *
 *   root
 *   |-a
 *   | `-a1
 *   `-b
 */

/** A node of a tree to show: its text and its children, in the order they are shown. */
export interface TreeNode {
  label: string;
  children: TreeNode[];
}

/** The connector drawn before a child: ASCII, as in the C locale. */
export const TREE_BRANCH = '|-';
export const TREE_LAST = '`-';
const TREE_CONTINUE = '| ';
const TREE_BLANK = '  ';

/**
 * Each node of `roots` and of their subtrees as one line, parents first; a root's
 * line has no connector. A multi-line label keeps its later lines under the first,
 * indented as the node's children would be.
 */
export function drawTree(roots: readonly TreeNode[]): string[] {
  const out: string[] = [];
  const visit = (n: TreeNode, prefix: string, childPrefix: string): void => {
    const [first, ...rest] = n.label.split('\n');
    out.push(prefix + first);
    const under = childPrefix + (n.children.length > 0 ? TREE_CONTINUE : TREE_BLANK);
    for (const l of rest) out.push((under + l).replace(/\s+$/, ''));
    n.children.forEach((c, i) => {
      const last = i === n.children.length - 1;
      visit(c, childPrefix + (last ? TREE_LAST : TREE_BRANCH), childPrefix + (last ? TREE_BLANK : TREE_CONTINUE));
    });
  };
  for (const r of roots) visit(r, '', '');
  return out;
}
