/** Where a node sits in the map's viewBox. */
export interface Point {
  readonly x: number;
  readonly y: number;
}

const LAYER_ORDER = ['core', 'aggregation', 'access'];

/**
 * Lays the network out in rows by device kind: core on top, then aggregation, access, and any
 * other kind at the bottom; each row spread evenly across the width, in config order (so the map
 * does not move between loads). Coordinates are in a `width` × `height` box.
 */
export function layoutTopology(
  nodes: readonly { readonly name: string; readonly kind: string | null }[],
  width: number,
  height: number,
): Map<string, Point> {
  const layerOf = (kind: string | null): number => {
    const index = kind === null ? -1 : LAYER_ORDER.indexOf(kind);
    return index === -1 ? LAYER_ORDER.length : index;
  };
  const layers = new Map<number, string[]>();
  for (const node of nodes) {
    const layer = layerOf(node.kind);
    layers.set(layer, [...(layers.get(layer) ?? []), node.name]);
  }
  const used = [...layers.keys()].sort((a, b) => a - b);
  const positions = new Map<string, Point>();
  used.forEach((layer, row) => {
    const names = layers.get(layer) ?? [];
    const y = ((row + 0.5) / used.length) * height;
    names.forEach((name, column) => {
      positions.set(name, { x: ((column + 0.5) / names.length) * width, y });
    });
  });
  return positions;
}
