/**
 * The command table (oclif "explicit" strategy: faster start-up than scanning a
 * directory). Keys are command ids; `ctsim a b` is id `a:b`.
 */
import CgroupTree from './cgroup/tree.js';
import Compare from './compare.js';
import CompareMerge from './compare/merge.js';
import Features from './features.js';
import ImageExport from './image/export.js';
import ImageLs from './image/ls.js';
import LessonList from './lesson/list.js';
import LessonStart from './lesson/start.js';
import MemReplay from './mem/replay.js';
import MemTranslate from './mem/translate.js';
import MemWalk from './mem/walk.js';
import NsTree from './ns/tree.js';
import Oci from './oci.js';
import Run from './run.js';
import Sched from './sched.js';
import Sh from './sh.js';
import Top from './top.js';
import VmConsole from './vm/console.js';
import VmCreate from './vm/create.js';
import VmDelete from './vm/delete.js';
import VmExec from './vm/exec.js';
import VmInspect from './vm/inspect.js';
import VmList from './vm/list.js';
import VmMigrate from './vm/migrate.js';
import VmPause from './vm/pause.js';
import VmRestore from './vm/restore.js';
import VmResume from './vm/resume.js';
import VmSave from './vm/save.js';
import VmStart from './vm/start.js';
import VmStop from './vm/stop.js';

export const commands = {
  'cgroup:tree': CgroupTree,
  compare: Compare,
  'compare:merge': CompareMerge,
  features: Features,
  'image:export': ImageExport,
  'image:ls': ImageLs,
  'lesson:list': LessonList,
  'lesson:start': LessonStart,
  'mem:replay': MemReplay,
  'mem:translate': MemTranslate,
  'mem:walk': MemWalk,
  'ns:tree': NsTree,
  oci: Oci,
  run: Run,
  sched: Sched,
  sh: Sh,
  top: Top,
  'vm:console': VmConsole,
  'vm:create': VmCreate,
  'vm:delete': VmDelete,
  'vm:exec': VmExec,
  'vm:inspect': VmInspect,
  'vm:list': VmList,
  'vm:migrate': VmMigrate,
  'vm:pause': VmPause,
  'vm:restore': VmRestore,
  'vm:resume': VmResume,
  'vm:save': VmSave,
  'vm:start': VmStart,
  'vm:stop': VmStop,
};
