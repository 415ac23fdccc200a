// Placeholder until this case is written (issue 10): reports nothing.
export default function vmscale() {
  return [];
}
