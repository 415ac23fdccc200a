/**
 * The ASCII tree of findmnt, lsns -T and pstree in the C locale: "|-" before a child
 * with siblings after it, "`-" before the last, "| " continuing an ancestor's column.
 */
import { describe, expect, it } from 'vitest';
import { drawTree } from '../../../src/teach/views/index.js';

describe('drawTree', () => {
  it('draws children with |- and `-, and carries the columns of ancestors', () => {
    const leaf = (label: string) => ({ label, children: [] });
    const lines = drawTree([{ label: 'root', children: [{ label: 'a', children: [leaf('a1'), leaf('a2')] }, { label: 'b', children: [leaf('b1')] }] }]);
    expect(lines).toEqual(['root', '|-a', '| |-a1', '| `-a2', '`-b', '  `-b1']);
  });

  it('draws several roots one after the other, without connectors', () => {
    expect(drawTree([{ label: 'x', children: [] }, { label: 'y', children: [{ label: 'z', children: [] }] }])).toEqual(['x', 'y', '`-z']);
  });
});
