/**
 * runc's container id rule (libcontainer factory_linux.go validateID): one or more
 * of `[A-Za-z0-9_+\-.]`, and a lexically clean path element, which with no `/`
 * allowed leaves out exactly `.` and `..`. The id names the state directory
 * `<root>/<id>`, so anything that could climb out of it is refused. Otherwise runc
 * fails with "invalid container ID format".
 */

const ID_CHARS = /^[A-Za-z0-9_+\-.]+$/;

/** True when runc accepts `id` as a container id. */
export function isValidContainerId(id: string): boolean {
  return ID_CHARS.test(id) && id !== '.' && id !== '..';
}

/** runc's error text for an id `isValidContainerId` refuses. */
export const INVALID_CONTAINER_ID = 'invalid container ID format';
