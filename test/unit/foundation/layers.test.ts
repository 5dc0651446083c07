import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

// The layers must be visible in the folders: shared/ is pure, services never import Electron,
// the renderer talks to main only through the contract. These checks keep it so.
const root = join(import.meta.dirname, '..', '..', '..')

function sources(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(join(root, path)).isDirectory()) return sources(path)
    return /\.(ts|tsx)$/.test(name) ? [path] : []
  })
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8')
  return [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => (m[1] ?? m[2])!)
}

describe('the layers', () => {
  it('shared/ imports only shared/ and zod', () => {
    for (const file of sources('shared')) {
      for (const spec of importsOf(file)) {
        const ok = spec === 'zod' || (spec.startsWith('.') && !relative('shared', join(file, '..', spec)).startsWith('..'))
        expect(ok, `${file} imports ${spec}`).toBe(true)
      }
    }
  })

  it('the Node services and the command line never import electron', () => {
    for (const file of [...sources('electron/services'), ...sources('electron/cli'), ...sources('electron/web')]) {
      expect(importsOf(file), file).not.toContain('electron')
    }
  })

  it('the renderer imports only itself, shared/ and browser packages — never the Node side', () => {
    for (const file of sources('renderer')) {
      for (const spec of importsOf(file)) {
        expect(spec.startsWith('node:') || spec === 'electron' || /(^|\/)electron\//.test(spec), `${file} imports ${spec}`).toBe(false)
      }
    }
  })
})
