/**
 * Views of a simulated kernel as pictures in the terminal: the namespace tree, the
 * cgroup tree with usage against limits, top's screen, and one address's page-table
 * walk. Each is a function that reads kernel state without changing it, and a pure
 * renderer from that data to lines of text (used by `ctsim ns tree`, `cgroup tree`,
 * `top`, `mem walk`, and the shell's `inspect`).
 */
export { drawTree, TREE_BRANCH, TREE_LAST } from './tree-draw.js';
export type { TreeNode } from './tree-draw.js';
export { NS_VIEW_TYPES, namespaceForest, renderNsTree } from './ns-tree.js';
export type { NsForest, NsProcess, NsView } from './ns-tree.js';
export { cgroupUsage, cgroupView, humanBytes, renderCgroupTree } from './cgroup-tree.js';
export type { CgroupView } from './cgroup-tree.js';
export { TOP_SORT_FIELDS, renderTop, sampleTop, timePlus } from './top.js';
export type { TopOptions, TopSample, TopSortField, TopTask } from './top.js';
export { LINUX_LEVEL_NAMES, renderPageWalk, walkPage, walkPageOf } from './page-walk.js';
export type { EntryFlags, PageWalkView, WalkLevelView, WalkOutcome, WalkRefusal } from './page-walk.js';
