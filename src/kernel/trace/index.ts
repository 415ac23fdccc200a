/** strace's tracer and the decoding of system calls as strace prints them (see README.md). */
export { Tracer, straceRequest, traceSyscallEntry, traceSyscallExit, traceNoReturn, type StraceOptions, type CallCount } from './tracer.js';
export { decodeSyscall, formatCall, errorRet, waitStatus, type DecodedCall } from './strace-format.js';
export { quoteBytes, openFlags, octal, DATA_PTR, CODE_PTR, DEFAULT_STRSIZE } from './strace-xlat.js';
