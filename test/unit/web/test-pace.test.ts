/**
 * The browser tests' pace is the web bridge's alone, and only when asked for by name: without
 * SPLITSEND_TEST_PACE=fast there is no test pace and no path that changes the practice account's
 * speed; with it, that path takes only the bridge's token and the speeds it knows.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createAppServices } from '../../../electron/services/app-services'
import type { WebBridge } from '../../../electron/web/bridge-server'
import { testPaceFromEnvironment } from '../../../electron/web/test-pace'
import { TEST_PRACTICE_SPEED_PATH, TOKEN_HEADER } from '../../../shared/web-bridge-protocol'
import { closeAfterEach } from '../constant-contact/helpers'
import { tempDir } from '../temp'
import { startTestBridge } from './start-bridge'

const TOKEN = 'pace-test-token-0123456789'
const closeLater = closeAfterEach()

async function bridge(setPracticeSpeed?: (name: string) => Promise<boolean>): Promise<WebBridge> {
  const services = createAppServices({ host: 'web', version: '0', dataDir: tempDir('data'), emit: () => {} })
  const rendererDir = tempDir('renderer')
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Splitsend</title>')
  const started = await startTestBridge(services, {
    rendererDir,
    token: TOKEN,
    ...(setPracticeSpeed ? { setPracticeSpeed } : {}),
  })
  closeLater(() => services.dispose())
  closeLater(() => started.close())
  return started
}

const askForSpeed = (at: WebBridge, speed: string, token = TOKEN) =>
  fetch(`http://127.0.0.1:${at.port}${TEST_PRACTICE_SPEED_PATH}`, {
    method: 'POST',
    headers: { [TOKEN_HEADER]: token },
    body: speed,
  })

describe('the browser tests’ pace', () => {
  it('is there only when SPLITSEND_TEST_PACE is "fast"', async () => {
    expect(testPaceFromEnvironment({})).toBeUndefined()
    expect(testPaceFromEnvironment({ SPLITSEND_TEST_PACE: '1' })).toBeUndefined()
    expect(testPaceFromEnvironment({ SPLITSEND_TEST_PACE: 'realistic' })).toBeUndefined()
    const pace = testPaceFromEnvironment({ SPLITSEND_TEST_PACE: 'fast' })!
    expect(Object.keys(pace.services).sort()).toEqual(['limiter', 'simulatorFactory', 'tokenGate'])
    expect(await pace.setPracticeSpeed('realistic')).toBe(true)
    expect(await pace.setPracticeSpeed('test')).toBe(true)
    expect(await pace.setPracticeSpeed('instant')).toBe(false)
  })

  it('a bridge started without it has no way to change the practice account’s speed', async () => {
    const plain = await bridge()
    expect((await askForSpeed(plain, 'test')).status).toBe(405)
  })

  it('a bridge at the tests’ pace changes it only with its token, and only to a speed it knows', async () => {
    const asked: string[] = []
    const paced = await bridge(async (name) => {
      if (name !== 'test' && name !== 'realistic') return false
      asked.push(name)
      return true
    })
    expect((await askForSpeed(paced, 'realistic', 'not-the-token')).status).toBe(403)
    expect((await askForSpeed(paced, 'instant')).status).toBe(400)
    expect((await askForSpeed(paced, 'realistic')).status).toBe(200)
    expect(asked).toEqual(['realistic'])
  })
})
