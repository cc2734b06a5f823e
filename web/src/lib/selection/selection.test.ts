import { emptySelection, moveCursor, selectRange, toggle, within } from "./selection";

const order = ["folder:a", "file:b", "file:c", "file:d", "file:e"];
const keysOf = (selection: { keys: ReadonlySet<string> }) => [...selection.keys].sort();

describe("file browser selection", () => {
  it("toggles a row on and off, and the clicked row becomes the anchor", () => {
    const on = toggle(emptySelection, "file:c");
    expect(keysOf(on)).toEqual(["file:c"]);
    expect(on.anchor).toBe("file:c");
    expect(keysOf(toggle(on, "file:c"))).toEqual([]);
  });

  it("selects the range between the anchor and a shift-clicked row, in either direction, keeping earlier picks", () => {
    const picked = toggle(toggle(emptySelection, "folder:a"), "file:d");
    expect(keysOf(selectRange(picked, order, "file:b"))).toEqual(["file:b", "file:c", "file:d", "folder:a"]);
    const down = selectRange(toggle(emptySelection, "file:b"), order, "file:e");
    expect(keysOf(down)).toEqual(["file:b", "file:c", "file:d", "file:e"]);
    expect(down.anchor).toBe("file:b");
  });

  it("treats a shift-click without an anchor as a plain click", () => {
    expect(keysOf(selectRange(emptySelection, order, "file:c"))).toEqual(["file:c"]);
  });

  it("drops rows that left the listing, and the anchor with them", () => {
    const selection = toggle(toggle(emptySelection, "file:b"), "file:c");
    const after = within(selection, ["folder:a", "file:b"]);
    expect(keysOf(after)).toEqual(["file:b"]);
    expect(after.anchor).toBeNull();
  });

  it("moves the cursor one row at a time and stops at the ends", () => {
    expect(moveCursor(order, null, 1)).toBe("folder:a");
    expect(moveCursor(order, null, -1)).toBe("file:e");
    expect(moveCursor(order, "file:b", 1)).toBe("file:c");
    expect(moveCursor(order, "folder:a", -1)).toBe("folder:a");
    expect(moveCursor(order, "file:e", 1)).toBe("file:e");
    expect(moveCursor([], null, 1)).toBeNull();
  });
});
