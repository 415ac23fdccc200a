/** A VM that could not be started (an image missing or damaged, a NIC that cannot be assigned), in the VMM's words. */
export class VmLaunchError extends Error {}
