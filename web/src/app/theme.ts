import { Anchor, createTheme, type CSSVariablesResolver, Loader } from "@mantine/core";

/** Mantine's defaults with text colours that meet WCAG AA contrast on their backgrounds. */
export const theme = createTheme({
  primaryColor: "blue",
  primaryShade: { light: 8, dark: 5 },
  defaultRadius: "md",
  fontFamily: "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
  components: {
    // Links inside text must not rely on colour alone.
    Anchor: Anchor.extend({ defaultProps: { underline: "always" } }),
    // A spinner is a status: with the role its aria-label is read out (and allowed).
    Loader: Loader.extend({ defaultProps: { role: "status" } }),
  },
});

export const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  // Light variants (the active NavLink, light buttons) put the primary colour on a pale tint of itself: shade 9 keeps AA.
  light: { "--mantine-color-dimmed": t.colors.gray[7], "--mantine-color-blue-light-color": t.colors.blue[9] },
  dark: { "--mantine-color-dimmed": t.colors.dark[1] },
});
