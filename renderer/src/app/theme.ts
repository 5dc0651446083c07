import { createTheme, darken, type CSSVariablesResolver } from '@mantine/core'

// Shades chosen so text on every surface meets WCAG AA contrast (checked by axe in the browser tests).
export const theme = createTheme({
  primaryColor: 'teal',
  primaryShade: { light: 9, dark: 9 },
  defaultRadius: 'md',
  // People who asked their system for less motion get dialogs and menus without fades.
  respectReducedMotion: true,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
})

const darkerFilledHover = (t: Parameters<CSSVariablesResolver>[0]) =>
  Object.fromEntries(
    Object.keys(t.colors).map((name) => [`--mantine-color-${name}-filled-hover`, darken(t.colors[name]![9]!, 0.15)]),
  )

export const contrastSafeColors: CSSVariablesResolver = (t) => ({
  // Filled buttons use the darkest shade; on hover they get darker still (Mantine's default would
  // step to a lighter shade, which white text no longer reads on).
  variables: {},
  light: {
    ...darkerFilledHover(t),
    '--mantine-color-dimmed': t.colors.gray[7]!,
    '--mantine-color-placeholder': t.colors.gray[7]!,
    // A field's error text (a picker saying a column doesn't look like the flag) reads on white.
    '--mantine-color-error': t.colors.red[9]!,
    // "Light" buttons, badges and alerts: the darkest text on the palest tint, so the text stays readable.
    ...Object.fromEntries(
      Object.keys(t.colors).flatMap((name) => [
        [`--mantine-color-${name}-light-color`, t.colors[name]![9]!],
        [`--mantine-color-${name}-light`, t.colors[name]![0]!],
      ]),
    ),
  },
  dark: {
    ...darkerFilledHover(t),
    '--mantine-color-dimmed': t.colors.dark[1]!,
    '--mantine-color-placeholder': t.colors.dark[1]!,
  },
})
