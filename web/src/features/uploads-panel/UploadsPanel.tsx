export function UploadsPanel() {
  return null;
}
